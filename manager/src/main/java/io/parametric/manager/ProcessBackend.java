package io.parametric.manager;

import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleConsumer;

/**
 * The extension point for a new kind of process, the seed's "add a new {@code Process} type":
 * a {@link ProcessKind} class plus an implementation of this interface listed in
 * {@code META-INF/services/io.parametric.manager.ProcessBackend}. {@code Threaded} and
 * {@code Async} are built on it, and so is the {@code Inline} kind in the examples module.
 *
 * <p>The life of a backend: the manager makes one instance per kind it uses (through
 * {@link java.util.ServiceLoader}, so it needs a public no-argument constructor), calls
 * {@link #bind} once with the manager's {@link Context}, then any of the calls below from any
 * thread, and {@link #close} with the manager. A backend implements the seed's essentials:
 * {@link #createWorkers create workers}, {@link #assign assign} (every placement — assign,
 * distribute, submit, delayed jobs — ends here), {@link #loads the queue lengths distribute
 * balances on}, and reports each outcome to {@link Context#completed}, on which {@code waitFor}
 * waits. Shared values ({@code put}) are the manager's: a backend's jobs read them through
 * {@link Context#jobContext}. Nothing here exposes the manager's internals: a backend sees only
 * this interface, {@link JobPayload} and {@link Outcome}.
 *
 * <pre>{@code
 * public final class Inline implements ProcessKind {}
 * public final class InlineBackend implements ProcessBackend {
 *     private Context context;
 *     public Class<? extends ProcessKind> kind() { return Inline.class; }
 *     public void bind(Context context) { this.context = context; }
 *     public List<WorkerHandle> createWorkers(int n, List<String> names) { ... context.newPid() ... }
 *     public List<Long> assign(List<Assignment> jobs, Collection<Long> candidates) { ... context.completed(outcome) ... }
 *     ...
 * }
 * // META-INF/services/io.parametric.manager.ProcessBackend: com.example.InlineBackend
 * ProcessManager procs = processes(2, Inline.class);
 * }</pre>
 */
public interface ProcessBackend extends AutoCloseable {

    /** @return the kind of process this backend makes */
    Class<? extends ProcessKind> kind();

    /**
     * @return true when its workers live in a Redis fleet: the manager then finds Redis (its
     *     own, {@code PP_REDIS_URL}, or a private one) before {@link #bind}
     */
    default boolean usesRedis() {
        return false;
    }

    /**
     * Binds the backend to its manager; called once, before any other call but {@link #kind()}
     * and {@link #usesRedis()}.
     *
     * @param context the manager's side of the backend, for every later call
     */
    void bind(Context context);

    /**
     * Creates workers and returns when they are ready to take jobs.
     *
     * @param n how many
     * @param names their names, empty for defaults, else exactly n
     * @return the workers, in creation order
     * @throws io.parametric.shared.ProcessError when they do not get ready
     */
    List<WorkerHandle> createWorkers(int n, List<String> names);

    /**
     * Places jobs, validating them all before placing any, with a constant number of round trips.
     * The manager armed a future for each job id before the call, so an outcome reported at once
     * is never missed. A job with a {@link Assignment#delay() delay} is held (by the backend,
     * after validation) until it is due and then goes as {@link Target#OPEN_OR_BACKLOG}; its
     * returned pid is 0.
     *
     * @param assignments the jobs, each with its target and delay
     * @param candidates the pids an {@link Target#OPEN}/{@link Target#OPEN_OR_BACKLOG} job may go
     *     to, or null for any worker of the backend
     * @return for each job, the pid it went to, 0 for a backlog or a delay
     * @throws io.parametric.shared.ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE, nothing placed
     */
    List<Long> assign(List<Assignment> assignments, Collection<Long> candidates);

    /**
     * Reads what {@code distribute} balances on, in one round trip.
     *
     * @param pids workers of this backend
     * @return one load per pid, in the same order
     */
    List<Load> loads(List<Long> pids);

    /**
     * The workers this backend can reach now, for a manager made by {@code connect} (which lists
     * whatever runs in the fleet rather than what it created).
     *
     * @return for a fleet backend, the fleet's live workers (whoever started them); for an
     *     in-JVM backend, the open workers it created; ascending pids
     */
    List<WorkerHandle> liveWorkers();

    /**
     * Cancels a job placed by this backend if it has not finished.
     *
     * @param jobId the job
     * @return true when it was queued and is now removed, false when it runs (interrupted if the
     *     backend can) or has already finished
     */
    boolean cancel(String jobId);

    /**
     * Looks up where a job runs and how far it got, for {@code JobFuture.pid()} and
     * {@code progress()}.
     *
     * @param jobId the job
     * @return its progress
     */
    Progress progress(String jobId);

    /** Stops every worker this backend created and releases what it holds. */
    @Override
    void close();

    /** Where an {@link Assignment} should go. */
    enum Target {
        /** Exactly the given pid. */
        EXACT,
        /** The first open worker (idle, nothing queued) among the candidates, else the given pid. */
        OPEN,
        /** The first open worker among the candidates, else the backend's backlog. */
        OPEN_OR_BACKLOG
    }

    /**
     * One job to place.
     *
     * @param payload the job with its id and the manager set
     * @param jobType the registered type, or "" for a lambda or record
     * @param target how to choose the worker
     * @param pid the worker for {@link Target#EXACT}, the fallback for {@link Target#OPEN}, else 0
     * @param delay how long to hold the job before it may run ({@link Duration#ZERO} for none)
     */
    record Assignment(JobPayload payload, String jobType, Target target, long pid, Duration delay) {
        /** @throws NullPointerException for a null payload, type, target or delay */
        public Assignment {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(jobType, "jobType");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(delay, "delay");
        }

        /** @return true when the job must wait before it may run */
        public boolean delayed() {
            return !delay.isZero();
        }
    }

    /**
     * What distribute balances on.
     *
     * @param pid the worker
     * @param queued jobs queued plus the running one
     * @param open true when idle with nothing queued
     * @param jobTypes the registered job types it lists
     * @param usable false when closed or gone
     */
    record Load(long pid, long queued, boolean open, Set<String> jobTypes, boolean usable) {}

    /**
     * Where a job runs and how far it got.
     *
     * @param pid the worker running or having run it, or null before it starts
     * @param fraction the last progress reported, 0 to 1
     */
    record Progress(Long pid, double fraction) {}

    /** A worker as its backend sees it; {@link Worker} wraps it. */
    interface WorkerHandle {
        /** @return the pid */
        long pid();

        /** @return the name */
        String name();

        /** @return the host it runs on */
        String host();

        /** @return the registered job types it lists */
        Set<String> jobTypes();

        /** @return true when running a job or having jobs queued */
        boolean isActive();

        /** @return true once closed (or gone) */
        boolean isClosed();

        /** @return the outcome of its latest job (by any manager), or null */
        Outcome latest();

        /** @return jobs waiting, not counting the running one */
        int queued();

        /** @return jobs this worker ran that returned; 0 for a backend that does not count them */
        default long done() {
            return 0;
        }

        /** @return jobs this worker ran that failed (cancelled included); 0 for a backend that does not count them */
        default long failed() {
            return 0;
        }

        /**
         * Stops the worker: it finishes its running job; queued jobs go to the backlog.
         */
        void close();
    }

    /**
     * The part of a {@link WorkerHandle} that never changes, its pid and name, so a backend's
     * handle implements only the state it reads.
     *
     * <pre>{@code
     * final class InlineWorker extends ProcessBackend.AbstractWorkerHandle {
     *     InlineWorker(long pid, String name) { super(pid, name); }
     *     public boolean isActive() { return running; }
     *     ...
     * }
     * }</pre>
     */
    abstract class AbstractWorkerHandle implements WorkerHandle {
        private final long pid;
        private final String name;

        /**
         * @param pid the worker's pid
         * @param name the worker's name
         */
        protected AbstractWorkerHandle(long pid, String name) {
            this.pid = pid;
            this.name = name;
        }

        @Override
        public final long pid() {
            return pid;
        }

        @Override
        public final String name() {
            return name;
        }
    }

    /** What the manager gives a backend, once, through {@link #bind}. */
    interface Context {
        /** @return the id of the manager placing jobs (its completion list) */
        String managerId();

        /** @return a new pid, unique among the manager's workers */
        long newPid();

        /**
         * Reports a job's outcome; completes its future and the waits on it. Call it from any
         * thread; the future completes on the manager's completion pool.
         *
         * @param outcome the outcome
         */
        void completed(Outcome outcome);

        /**
         * Makes the context an in-JVM job runs with: shared values read and written as for
         * every other worker of the manager.
         *
         * @param pid the worker's pid
         * @param workerName the worker's name
         * @param jobId the job
         * @param attempt the delivery, from 1
         * @param progress receives {@link JobContext#progress} reports
         * @return the job's context
         */
        JobContext jobContext(long pid, String workerName, String jobId, int attempt, DoubleConsumer progress);

        /**
         * Tells the manager that a worker died and the backend started {@code replacement} in its
         * place; the manager lists the replacement beside the dead worker. Backends that never
         * replace workers need not call it.
         *
         * @param dead the worker that died
         * @param replacement the worker started in its place
         */
        void replaced(WorkerHandle dead, WorkerHandle replacement);
    }
}
