package io.parametric.shared;

import io.parametric.shared.protocol.CurrentJob;

/**
 * What job code can reach while it runs on a worker: shared values, its ids and progress.
 *
 * <pre>{@code
 * ProcessJob bump = newJob(() -> JobContext.current().increment("x", 1));
 * }</pre>
 */
public interface JobContext {

    /**
     * The context of the job running on this thread.
     *
     * @return the context
     * @throws IllegalStateException when no job runs on this thread
     */
    static JobContext current() {
        return CurrentJob.get();
    }

    /**
     * Reads a shared value: the one put for this worker, else the fleet-wide one.
     *
     * @param name the value's name
     * @param type the Java type to convert the stored JSON to
     * @param <T> the type
     * @return the value, or null when none is set
     */
    <T> T fetch(String name, Class<T> type);

    /**
     * Sets a fleet-wide shared value.
     *
     * @param name the value's name
     * @param value any value that serializes to JSON
     */
    void put(String name, Object value);

    /**
     * Atomically adds to a fleet-wide numeric value (0 when unset).
     *
     * @param name the value's name
     * @param delta what to add
     * @return the value after adding
     */
    long increment(String name, long delta);

    /** @return the worker's pid in its fleet (not the OS pid) */
    long pid();

    /** @return the worker's name */
    String workerName();

    /** @return the id of the running job */
    String jobId();

    /** @return which delivery of this job this is, starting at 1 */
    int attempt();

    /**
     * Reports progress, readable through {@code JobFuture.progress()}.
     *
     * @param fraction between 0 and 1
     */
    void progress(double fraction);
}
