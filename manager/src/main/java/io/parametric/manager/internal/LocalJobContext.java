package io.parametric.manager.internal;

import io.parametric.shared.JobContext;
import io.parametric.shared.protocol.Json;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;

/** The context of a job running in the manager's JVM, reading and writing the manager's shared values. */
public final class LocalJobContext implements JobContext {

    private final Supplier<SharedValues> values;
    private final long pid;
    private final String workerName;
    private final String jobId;
    private final int attempt;
    private final DoubleConsumer progress;

    /**
     * @param values the manager's shared values (looked up per call: a manager may gain a Redis later)
     * @param pid the worker
     * @param workerName its name
     * @param jobId the job
     * @param attempt the delivery
     * @param progress receives progress reports
     */
    public LocalJobContext(Supplier<SharedValues> values, long pid, String workerName, String jobId, int attempt,
            DoubleConsumer progress) {
        this.values = values;
        this.pid = pid;
        this.workerName = workerName;
        this.jobId = jobId;
        this.attempt = attempt;
        this.progress = progress;
    }

    @Override
    public <T> T fetch(String name, Class<T> type) {
        String json = values.get().get(pid, name);
        return json == null ? null : Json.read(json, type);
    }

    @Override
    public void put(String name, Object value) {
        values.get().put(name, Json.write(value));
    }

    @Override
    public long increment(String name, long delta) {
        return values.get().increment(name, delta);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String workerName() {
        return workerName;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public void progress(double fraction) {
        progress.accept(Math.max(0, Math.min(1, fraction)));
    }
}
