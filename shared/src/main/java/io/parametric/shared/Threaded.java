package io.parametric.shared;

/**
 * A worker that is a separate operating-system process (a JVM) connected through Redis: spawned
 * by a manager on this host or started anywhere else (a container) in the same fleet. The
 * default kind.
 */
public final class Threaded implements ProcessKind {
    private Threaded() {}
}
