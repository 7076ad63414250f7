package io.parametric.examples;

import io.parametric.shared.ProcessKind;

/**
 * A third kind of process, the seed's extension story ({@code abstract type CUDA <: Process}):
 * an {@code Inline} worker runs each job on the thread that places it. {@link InlineBackend}
 * implements it and is found through {@link java.util.ServiceLoader}, so
 * {@code processes(2, Inline.class)} just works.
 */
public final class Inline implements ProcessKind {
    private Inline() {}
}
