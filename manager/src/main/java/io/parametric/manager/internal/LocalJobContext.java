package io.parametric.manager.internal;

import io.parametric.shared.protocol.Json;
import io.parametric.worker.AbstractJobContext;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;

/** The context of a job running in the manager's JVM, reading and writing the manager's shared values. */
public final class LocalJobContext extends AbstractJobContext {

    private final Supplier<SharedValues> values;
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
        super(pid, workerName, jobId, attempt);
        this.values = values;
        this.progress = progress;
    }

    @Override
    protected String valueJson(String name) {
        return values.get().get(pid(), name);
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
    public void progress(double fraction) {
        progress.accept(Math.max(0, Math.min(1, fraction)));
    }
}
