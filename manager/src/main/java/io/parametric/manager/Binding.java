package io.parametric.manager;

import io.parametric.manager.internal.LocalJobContext;
import io.parametric.manager.internal.SharedValues;
import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleConsumer;

/** One backend as one manager uses it: the backend instance and the manager's side of it (its {@link ProcessBackend.Context}). */
final class Binding implements ProcessBackend.Context {

    private final ProcessManager manager;
    private final ProcessBackend backend;

    Binding(ProcessManager manager, ProcessBackend backend) {
        this.manager = manager;
        this.backend = backend;
    }

    private volatile boolean released;

    /** Marks the binding closed with its manager: its workers read as closed without asking the backend. */
    void release() {
        released = true;
    }

    boolean released() {
        return released;
    }

    ProcessBackend backend() {
        return backend;
    }

    ProcessManager manager() {
        return manager;
    }

    Class<? extends ProcessKind> kind() {
        return backend.kind();
    }

    @Override
    public String managerId() {
        return manager.managerId();
    }

    @Override
    public long newPid() {
        return manager.newPid();
    }

    @Override
    public Optional<Fleet> fleet() {
        return manager.fleetIfConnected();
    }

    @Override
    public Optional<String> redisUrl() {
        return manager.redisUrlIfConnected();
    }

    @Override
    public void completed(Outcome outcome) {
        JobTracker.deliver(outcome);
    }

    @Override
    public JobContext jobContext(long pid, String workerName, String jobId, int attempt, DoubleConsumer progress) {
        return new LocalJobContext(manager::values, pid, workerName, jobId, attempt, progress);
    }

    @Override
    public void replaced(ProcessBackend.WorkerHandle dead, ProcessBackend.WorkerHandle replacement) {
        manager.replaced(this, replacement);
    }

    @Override
    public void putWorkerValue(List<Long> pids, String name, Object value) {
        SharedValues values = manager.values();
        String json = Json.write(value);
        pids.forEach(pid -> values.put(pid, name, json));
    }
}
