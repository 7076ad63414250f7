package io.parametric.manager.extension;

import io.parametric.shared.ProcessKind;

/** A third kind of process, added by a test the way a user would add one: each worker is a single-thread executor. */
public final class Inline implements ProcessKind {
    private Inline() {}
}
