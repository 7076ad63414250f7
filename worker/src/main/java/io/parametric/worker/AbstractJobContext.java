package io.parametric.worker;

import io.parametric.shared.JobContext;
import io.parametric.shared.protocol.Json;

/**
 * What every {@link JobContext} of a running job shares, wherever its worker lives: the ids of
 * the job and its worker, and reading a shared value as JSON converted to the asked type. A
 * subclass says where shared values live (the fleet's Redis for a slot, the manager for an
 * in-JVM worker) and how progress is reported.
 *
 * <pre>{@code
 * final class MapContext extends AbstractJobContext {
 *     private final Map<String, String> values;   // name -> JSON
 *     MapContext(Map<String, String> values) { super(7, "test-7", "job-1", 1); this.values = values; }
 *     protected String valueJson(String name) { return values.get(name); }
 *     // put, increment and progress: where this kind of worker keeps them
 * }
 * }</pre>
 */
public abstract class AbstractJobContext implements JobContext {

    private final long pid;
    private final String workerName;
    private final String jobId;
    private final int attempt;

    /**
     * @param pid the worker's fleet pid
     * @param workerName the worker's name
     * @param jobId the running job
     * @param attempt the delivery, from 1
     */
    protected AbstractJobContext(long pid, String workerName, String jobId, int attempt) {
        this.pid = pid;
        this.workerName = workerName;
        this.jobId = jobId;
        this.attempt = attempt;
    }

    /**
     * Reads a shared value as this worker sees it: a value put for this worker wins over the
     * fleet-wide one of the same name.
     *
     * @param name the name
     * @return its JSON, or null when it is not set
     */
    protected abstract String valueJson(String name);

    @Override
    public final <T> T fetch(String name, Class<T> type) {
        String json = valueJson(name);
        return json == null ? null : Json.read(json, type);
    }

    @Override
    public final long pid() {
        return pid;
    }

    @Override
    public final String workerName() {
        return workerName;
    }

    @Override
    public final String jobId() {
        return jobId;
    }

    @Override
    public final int attempt() {
        return attempt;
    }
}
