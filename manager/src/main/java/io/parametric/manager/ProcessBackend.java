package io.parametric.manager;

import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleConsumer;

/**
 * The extension point for a new kind of process, the seed's "add a new {@code Process} type":
 * a {@link ProcessKind} class plus an implementation of this interface listed in
 * {@code META-INF/services/io.parametric.manager.ProcessBackend}. {@code Threaded} and
 * {@code Async} are built on it.
 *
 * <p>A backend implements the seed's essentials: {@link #createWorkers create workers},
 * {@link #assign assign} (every placement — assign, distribute, submit — ends here),
 * {@link #loads the queue lengths distribute balances on}, {@link #put put}, and reports each
 * outcome to {@link Context#completed}, on which {@code waitFor} waits. The manager makes one
 * backend instance per kind it uses (through {@link java.util.ServiceLoader}, so it needs a
 * public no-argument constructor) and closes it with the manager.
 *
 * <pre>{@code
 * public final class Inline implements ProcessKind {}
 * public final class InlineBackend implements ProcessBackend {
 *     public Class<? extends ProcessKind> kind() { return Inline.class; }
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
     * @return true when its workers live in a Redis fleet: the manager then finds Redis before
     *     {@link #createWorkers} and {@link Context#fleet()} is present
     */
    default boolean usesRedis() {
        return false;
    }

    /**
     * Creates workers and returns when they are ready to take jobs.
     *
     * @param context the manager's side of the backend
     * @param n how many
     * @param names their names, empty for defaults, else exactly n
     * @return the workers, in creation order
     * @throws io.parametric.shared.ProcessError when they do not get ready
     */
    List<WorkerHandle> createWorkers(Context context, int n, List<String> names);

    /**
     * Places jobs, validating them all before placing any, with a constant number of round trips.
     * The manager registered a future for each job id before the call, so an outcome reported at
     * once is never missed.
     *
     * @param context the manager's side of the backend
     * @param assignments the jobs, each with its target
     * @param candidates the pids an {@link Target#OPEN}/{@link Target#OPEN_OR_BACKLOG} job may go
     *     to, or null for any worker of the backend
     * @return for each job, the pid it went to, 0 for a backlog
     * @throws io.parametric.shared.ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE, nothing placed
     */
    List<Long> assign(Context context, List<Assignment> assignments, Collection<Long> candidates);

    /**
     * Reads what {@code distribute} balances on, in one round trip.
     *
     * @param context the manager's side of the backend
     * @param pids workers of this backend
     * @return one load per pid, in the same order
     */
    List<Load> loads(Context context, List<Long> pids);

    /**
     * Sets a shared value for some workers (the seed's {@code put!}). The default stores it
     * where {@link Context#jobContext} reads it.
     *
     * @param context the manager's side of the backend
     * @param pids the workers that see it
     * @param name its name
     * @param value any value that serializes to JSON
     */
    default void put(Context context, List<Long> pids, String name, Object value) {
        context.putWorkerValue(pids, name, value);
    }

    /**
     * Cancels a job placed by this backend if it has not finished.
     *
     * @param context the manager's side of the backend
     * @param jobId the job
     * @return true when it was queued and is now removed, false when it runs (interrupted if the
     *     backend can) or has already finished
     */
    boolean cancel(Context context, String jobId);

    /**
     * Looks up where a job runs and how far it got, for {@code JobFuture.pid()} and
     * {@code progress()}.
     *
     * @param context the manager's side of the backend
     * @param jobId the job
     * @return its progress
     */
    Progress progress(Context context, String jobId);

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
     */
    record Assignment(JobPayload payload, String jobType, Target target, long pid) {}

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

    /** What the manager gives a backend. */
    interface Context {
        /** @return the id of the manager placing jobs (its completion list) */
        String managerId();

        /** @return a new pid, unique among the manager's workers */
        long newPid();

        /** @return the Redis fleet, present when the backend {@link #usesRedis()} */
        Optional<Fleet> fleet();

        /** @return the URL (with credentials) workers use to reach the fleet's Redis, present with {@link #fleet()} */
        Optional<String> redisUrl();

        /**
         * Reports a job's outcome; completes its future and the waits on it.
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
         * Stores a shared value seen only by some workers.
         *
         * @param pids the workers
         * @param name the name
         * @param value the value
         */
        void putWorkerValue(List<Long> pids, String name, Object value);

        /**
         * Tells the manager that a worker died and the backend started {@code replacement} in its
         * place; the manager lists the replacement beside the dead worker. Backends that never
         * replace workers need not call it.
         *
         * @param dead the worker that died
         * @param replacement the worker started in its place
         */
        default void replaced(WorkerHandle dead, WorkerHandle replacement) {}
    }
}
