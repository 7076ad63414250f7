package io.parametric.manager;

import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.Outcome;
import java.util.Set;

/**
 * One worker: a slot that runs its jobs one at a time, in order. The parameter is its kind
 * ({@code Threaded}, {@code Async}, ...). State is read fresh on each call.
 *
 * <pre>{@code
 * Worker<?> w = procs.get(3);
 * System.out.println(w);   // 3 |Threaded process: worker-3 (active)
 * }</pre>
 *
 * @param <P> the kind of process
 */
public final class Worker<P extends ProcessKind> {

    private final Class<P> kind;
    private final ProcessBackend.WorkerHandle handle;
    private final Binding binding;

    Worker(Class<P> kind, ProcessBackend.WorkerHandle handle, Binding binding) {
        this.kind = kind;
        this.handle = handle;
        this.binding = binding;
    }

    /** @return the pid, unique in its fleet and never reused */
    public long pid() {
        return handle.pid();
    }

    /** @return the name */
    public String name() {
        return handle.name();
    }

    /** @return the kind of process */
    public Class<P> kind() {
        return kind;
    }

    /** @return true when running a job or having jobs queued (the seed's {@code active}) */
    public boolean isActive() {
        return !binding.released() && handle.isActive();
    }

    /** @return true once the worker is closed or gone */
    public boolean isClosed() {
        return binding.released() || handle.isClosed();
    }

    /**
     * @return the latest return of this worker (by any manager's job), null when none
     * @throws io.parametric.shared.ProcessError when its latest job failed
     */
    public Object ret() {
        Outcome latest = latest();
        return latest == null ? null : Outcomes.value(latest, Object.class);
    }

    /** @return jobs waiting, not counting the running one */
    public int queued() {
        return binding.released() ? 0 : handle.queued();
    }

    /** @return jobs it ran that returned, counted by the worker (by any manager's jobs) */
    public long done() {
        return binding.released() ? 0 : handle.done();
    }

    /** @return jobs it ran that failed (cancelled included), counted by the worker */
    public long failed() {
        return binding.released() ? 0 : handle.failed();
    }

    /** @return the host it runs on */
    public String host() {
        return binding.released() ? "" : handle.host();
    }

    /** @return the registered job types it lists */
    public Set<String> jobTypes() {
        return binding.released() ? Set.of() : handle.jobTypes();
    }

    /** Stops the worker: it finishes its running job and its queued jobs go to the backlog. */
    public void close() {
        handle.close();
    }

    /** @return the latest outcome, or null; null too once its manager closed and its store is gone */
    Outcome latest() {
        if (!binding.released()) {
            return handle.latest();
        }
        try {
            return handle.latest();
        } catch (RuntimeException e) {
            return null;
        }
    }

    ProcessBackend.WorkerHandle handle() {
        return handle;
    }

    Binding binding() {
        return binding;
    }

    /** @return the seed's show format, e.g. {@code 3 |Threaded process: render-3 (active)} */
    @Override
    public String toString() {
        String state = isClosed() ? "closed" : isActive() ? "active" : "inactive";
        return pid() + " |" + kind.getSimpleName() + " process: " + name() + " (" + state + ")";
    }
}
