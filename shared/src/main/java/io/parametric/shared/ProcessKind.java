package io.parametric.shared;

/**
 * The kind of process a {@code Worker} runs in: the parameter of {@code Worker<P>}.
 *
 * <p>The Julia package calls this {@code Process}; it is renamed here because of
 * {@link java.lang.Process}. The library ships {@link Threaded} (a separate JVM reached through
 * Redis) and {@link Async} (a thread in the manager's JVM). A new kind is a final class
 * implementing this interface plus a {@code ProcessBackend} found through
 * {@link java.util.ServiceLoader}.
 */
public interface ProcessKind {}
