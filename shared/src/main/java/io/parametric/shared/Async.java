package io.parametric.shared;

/**
 * A worker that is a thread in the manager's own JVM. A manager with only {@code Async} workers
 * needs no Redis.
 */
public final class Async implements ProcessKind {
    private Async() {}
}
