package io.parametric.manager;

import io.parametric.manager.internal.FleetAccess;
import io.parametric.manager.internal.LocalJobContext;
import io.parametric.manager.internal.SharedValues;
import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.Outcome;
import java.util.function.DoubleConsumer;

/**
 * One backend as one manager uses it: the backend instance and the manager's side of it, the
 * {@link ProcessBackend.Context} it was bound with (and, for the built-in fleet backend, the
 * manager's {@link FleetAccess}).
 */
final class Binding implements ProcessBackend.Context, FleetAccess {

    private final ProcessManager manager;
    private final Backends backends;
    private final ProcessBackend backend;
    private volatile boolean released;

    Binding(ProcessManager manager, Backends backends, ProcessBackend backend) {
        this.manager = manager;
        this.backends = backends;
        this.backend = backend;
    }

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

    /** @return the manager this binding belongs to (the origin of a pushed worker) */
    ProcessManager manager() {
        return manager;
    }

    Class<? extends ProcessKind> kind() {
        return backend.kind();
    }

    @Override
    public String managerId() {
        return backends.managerId();
    }

    @Override
    public long newPid() {
        return backends.newPid();
    }

    @Override
    public void completed(Outcome outcome) {
        backends.router().deliver(outcome);
    }

    @Override
    public JobContext jobContext(long pid, String workerName, String jobId, int attempt, DoubleConsumer progress) {
        return new LocalJobContext(this::values, pid, workerName, jobId, attempt, progress);
    }

    @Override
    public void replaced(ProcessBackend.WorkerHandle dead, ProcessBackend.WorkerHandle replacement) {
        manager.membership().replaced(this, replacement);
    }

    /** @return the store of shared values this binding's jobs read */
    SharedValues values() {
        return backends.values();
    }

    @Override
    public Fleet fleet() {
        return backends.connection().map(c -> c.fleet()).orElseThrow(this::noFleet);
    }

    @Override
    public FleetShards shards() {
        return backends.connection().map(c -> c.shards()).orElseThrow(this::noFleet);
    }

    @Override
    public long[] liveWorkersPerShard() {
        return backends.connection().map(c -> c.members().perShard()).orElseThrow(this::noFleet);
    }

    @Override
    public void joined(String placedJobId, String joinedJobId) {
        manager.joined(placedJobId, joinedJobId);
    }

    @Override
    public String redisUrl() {
        return backends.connection().map(c -> c.workerUrl()).orElseThrow(this::noFleet);
    }

    @Override
    public boolean privateRedis() {
        return backends.connection().map(c -> c.ownsRedis()).orElseThrow(this::noFleet);
    }

    private ProcessError noFleet() {
        return new ProcessError(Reason.ILLEGAL_STATE, backend.kind().getSimpleName()
                + " workers need a Redis fleet, and this manager has none (closed, or the backend does not declare usesRedis())");
    }
}
