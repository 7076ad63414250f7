package io.parametric.manager;

import io.parametric.manager.ProcessBackend.Assignment;
import io.parametric.manager.ProcessBackend.Load;
import io.parametric.manager.ProcessBackend.Target;
import io.parametric.manager.ProcessBackend.WorkerHandle;
import io.parametric.manager.internal.FleetConnection;
import io.parametric.manager.internal.RedisLocator;
import io.parametric.manager.internal.SharedValues;
import io.parametric.manager.internal.ThreadedBackend;
import io.parametric.shared.Job;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A set of workers and the jobs placed on them: the seed's {@code ProcessManager}. Thread-safe.
 * Close it to stop the workers it spawned (and a private Redis it started).
 *
 * <pre>{@code
 * try (ProcessManager procs = processes(4)) {
 *     procs.distribute(newJob(() -> 1), newJob(() -> 2));
 *     long pid = procs.assign(2, newJob(() -> { Thread.sleep(100); return 55; }));
 *     Object ret = procs.waitFor(pid).get(0);   // 55
 * }
 * }</pre>
 *
 * <p>A manager from {@code processes} lists the workers it created, pushed or added; a manager
 * from {@code connect} lists the fleet's live workers, read afresh on each call.
 */
public final class ProcessManager implements AutoCloseable {

    /** Holds delayed jobs of in-JVM kinds until they are due. */
    private static final java.util.concurrent.ScheduledExecutorService DELAYED =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "pp-delayed");
                t.setDaemon(true);
                return t;
            });

    /** Highest pid handed out in this JVM, so fleets made by {@code createWorkers} start above it. */
    static final AtomicLong HIGH_WATER = new AtomicLong();

    private final String managerId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final String fleetName;
    private final boolean connected;
    private final long pidFloor;
    private final Object lock = new Object();
    private final AtomicLong localPids;
    private final Map<Class<? extends ProcessKind>, Binding> bindings = new LinkedHashMap<>();
    /** Guarded by lock; ascending pids. */
    private final List<Worker<?>> members = new ArrayList<>();
    private final List<ProcessManager> adopted = new ArrayList<>();
    private final JobTracker tracker = new JobTracker();
    private final SharedValues memoryValues = SharedValues.inMemory();
    private volatile FleetConnection connection;
    private volatile boolean closed;
    /** The kind the manager was made with; guarded by lock. */
    private Class<? extends ProcessKind> firstKind;

    ProcessManager(String fleetName, boolean connected, long pidFloor) {
        this.fleetName = fleetName;
        this.connected = connected;
        this.pidFloor = pidFloor;
        this.localPids = new AtomicLong(pidFloor);
    }

    /** Used by {@code connect}: a manager over a fleet's existing workers. */
    static ProcessManager connected(String url, String fleet) {
        ProcessManager m = new ProcessManager(fleet, true, 0);
        m.connection = new FleetConnection(
                new RedisLocator.Found(RedisLocator.answering(url, "connect(...)"), url, null, "connect(...)"),
                fleet, m.managerId, JobTracker::deliver, () -> JobTracker.unfinishedRedisJobs(m));
        m.binding(Threaded.class);
        return m;
    }

    // ---------------------------------------------------------------- membership

    /**
     * @param pid a worker's pid (not its position)
     * @return the worker
     * @throws ProcessError NO_SUCH_WORKER naming the pid and the pids this manager has
     */
    public Worker<?> get(long pid) {
        return find(workers(), pid);
    }

    private static Worker<?> find(List<Worker<?>> all, long pid) {
        return all.stream().filter(w -> w.pid() == pid).findFirst().orElseThrow(() -> new ProcessError(
                Reason.NO_SUCH_WORKER,
                "no worker with pid " + pid + " in this manager; it has pids " + pidsOf(all)
                        + " — pids are fleet ids, not positions: use workerPids()",
                pid, null, null, null, null));
    }

    /**
     * @param name a worker's name
     * @return the worker
     * @throws ProcessError NO_SUCH_WORKER naming the name and the pids this manager has
     */
    public Worker<?> get(String name) {
        List<Worker<?>> all = workers();
        return all.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(() -> new ProcessError(
                Reason.NO_SUCH_WORKER,
                "no worker named '" + name + "' in this manager; it has pids " + pidsOf(all) + " named "
                        + all.stream().map(Worker::name).toList(),
                null, null, null, null, null));
    }

    /** @return the workers, ascending pids (closed ones stay listed until deleted) */
    public List<Worker<?>> workers() {
        if (connected) {
            Binding b = binding(Threaded.class);
            List<Worker<?>> live = new ArrayList<>();
            for (WorkerHandle h : ((ThreadedBackend) b.backend()).liveWorkers(b)) {
                live.add(new Worker<>(Threaded.class, h, b));
            }
            return live;
        }
        synchronized (lock) {
            return List.copyOf(members);
        }
    }

    /** @return the pids of {@link #workers()}, ascending */
    public List<Long> workerPids() {
        return pidsOf(workers());
    }

    /**
     * @param kind a kind of process
     * @return the pids of the workers of that kind, ascending
     */
    public List<Long> workerPids(Class<? extends ProcessKind> kind) {
        return workers().stream().filter(w -> w.kind() == kind).map(Worker::pid).toList();
    }

    /**
     * Adds n workers of the kind this manager was made with (Threaded by default) and returns
     * when they are ready.
     *
     * @param n how many
     * @return this manager
     */
    public ProcessManager addWorkers(int n) {
        Class<? extends ProcessKind> kind;
        synchronized (lock) {
            kind = firstKind != null ? firstKind : Threaded.class;
        }
        return addWorkers(n, kind);
    }

    /**
     * Adds workers and returns when they are ready. On a closed manager it opens the manager
     * again (as the seed's {@code add_workers!} after {@code close}): the closed workers stay
     * listed and new ones get new pids.
     *
     * @param n how many
     * @param kind their kind
     * @param names their names: none, or exactly n
     * @return this manager
     * @throws IllegalArgumentException when n is negative or names is neither empty nor n long
     * @throws ProcessError when they do not get ready, or Redis cannot be had for Threaded workers
     */
    public ProcessManager addWorkers(int n, Class<? extends ProcessKind> kind, String... names) {
        ParametricProcesses.checkCount(n, names);
        if (connected) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "a manager made by connect(...) lists the fleet's running workers and does not spawn any; "
                            + "start more worker processes in fleet '" + fleetName + "' or use processes(n)");
        }
        synchronized (lock) {
            closed = false;
        }
        Binding b = binding(kind);
        List<WorkerHandle> made = b.backend().createWorkers(b, n, List.of(names));
        synchronized (lock) {
            made.forEach(h -> members.add(new Worker<>(castKind(kind), h, b)));
            members.sort(Comparator.comparingLong(Worker::pid));
            made.forEach(h -> HIGH_WATER.accumulateAndGet(h.pid(), Math::max));
        }
        return this;
    }

    /**
     * Lists a worker a backend started in place of one that died (the dead one stays listed,
     * closed). A closed manager stops it instead.
     */
    void replaced(Binding b, WorkerHandle replacement) {
        synchronized (lock) {
            if (!closed && !b.released()) {
                members.add(new Worker<>(castKind(b.kind()), replacement, b));
                members.sort(Comparator.comparingLong(Worker::pid));
                HIGH_WATER.accumulateAndGet(replacement.pid(), Math::max);
                return;
            }
        }
        replacement.close();
    }

    /**
     * Adopts a worker made by {@code createWorkers}; this manager then lists and closes it.
     *
     * @param worker the worker
     * @return this manager
     * @throws ProcessError ILLEGAL_STATE when this manager already has a worker with that pid
     */
    public ProcessManager push(Worker<?> worker) {
        open();
        synchronized (lock) {
            if (members.stream().anyMatch(w -> w.pid() == worker.pid())) {
                if (members.contains(worker)) {
                    return this;
                }
                throw new ProcessError(Reason.ILLEGAL_STATE,
                        "this manager already has a worker with pid " + worker.pid() + " (" + worker
                                + " is from another fleet); create it with createWorkers(...) so pids do not collide",
                        worker.pid(), null, null, null, null);
            }
            members.add(worker);
            members.sort(Comparator.comparingLong(Worker::pid));
            ProcessManager origin = worker.binding().manager();
            if (origin != this && !adopted.contains(origin)) {
                adopted.add(origin);
            }
            reservePids(worker.pid());
        }
        return this;
    }

    /**
     * Closes a worker and removes it from this manager.
     *
     * @param pid the worker
     * @return this manager
     * @throws ProcessError NO_SUCH_WORKER
     */
    public ProcessManager delete(long pid) {
        return delete(get(pid));
    }

    /**
     * Closes a worker and removes it from this manager.
     *
     * @param name the worker's name
     * @return this manager
     * @throws ProcessError NO_SUCH_WORKER
     */
    public ProcessManager delete(String name) {
        return delete(get(name));
    }

    private ProcessManager delete(Worker<?> w) {
        w.close();
        synchronized (lock) {
            members.removeIf(m -> m.pid() == w.pid());
        }
        return this;
    }

    /**
     * Stops one worker: it finishes its running job; jobs still queued on it go to the fleet
     * backlog (pinned ones fail with WORKER_LOST). It stays listed, with {@code isClosed()} true.
     *
     * @param pid the worker
     * @throws ProcessError NO_SUCH_WORKER
     */
    public void close(long pid) {
        get(pid).close();
    }

    /**
     * Stops every worker this manager spawned or adopted and a private Redis it started.
     * Workers it only connected to keep running; jobs still without an outcome fail with
     * WORKER_LOST. The workers stay listed, closed. Idempotent; {@code addWorkers} opens the
     * manager again.
     */
    @Override
    public void close() {
        List<Binding> toClose;
        List<ProcessManager> origins;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(bindings.values());
            origins = new ArrayList<>(adopted);
            // addWorkers may open the manager again (the seed adds workers after close): it then
            // starts from fresh backends, and the closed workers stay listed.
            bindings.clear();
            adopted.clear();
        }
        toClose.forEach(Binding::release);
        List<RuntimeException> failures = new ArrayList<>();
        for (Binding b : toClose) {
            try {
                b.backend().close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (ProcessManager origin : origins) {
            try {
                origin.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        FleetConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        // Nobody will tell this manager about these any more: end their waits instead of hanging.
        for (JobFuture<?> f : tracker.unfinished()) {
            f.completeExceptionally(new ProcessError(Reason.WORKER_LOST,
                    "job " + f.jobId() + " had no outcome when its manager was closed; close the manager after waitFor, "
                            + "or follow the job from another manager with job(id)",
                    null, f.jobId(), null, null, null));
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    // ---------------------------------------------------------------- placing jobs

    /**
     * Queues a job on one worker, behind its running and queued jobs; it is no longer open.
     *
     * @param pid the worker
     * @param job the job
     * @return the pid
     * @throws ProcessError NO_SUCH_WORKER, or UNKNOWN_JOB_TYPE when the worker does not list the job's type
     */
    public long assign(long pid, ProcessJob job) {
        Worker<?> w = get(pid);
        place(List.of(new Planned(w.binding(), job, Target.EXACT, pid, Object.class)));
        return pid;
    }

    /**
     * Queues a job on the worker with that name.
     *
     * @param name the worker's name
     * @param job the job
     * @return the worker's pid
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE
     */
    public long assign(String name, ProcessJob job) {
        return assign(get(name).pid(), job);
    }

    /**
     * Each job to the first open worker (idle, nothing queued) from the fleet's shared open-worker
     * list; when none is open, to the worker with the fewest queued jobs, ties to the last worker.
     *
     * @param jobs the jobs
     * @return the distinct pids that received jobs, ascending
     * @throws ProcessError UNKNOWN_JOB_TYPE or NO_SUCH_WORKER, nothing placed
     */
    public List<Long> assignOpen(ProcessJob... jobs) {
        List<ProcessJob> list = checked(Arrays.asList(jobs));
        if (list.isEmpty()) {
            return List.of();
        }
        Members m = members();
        List<Balancer.Choice> choices = new Balancer(loads(m)).openFirst(types(list));
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            long pid = choices.get(i).pid();
            plan.add(new Planned(m.bindingOf(pid), list.get(i), Target.OPEN, pid, Object.class));
        }
        return distinct(place(plan));
    }

    /**
     * Distributes jobs as evenly as possible: each to the worker with the fewest queued jobs,
     * ties to the lowest pid (round-robin on an idle fleet). One read of the queue lengths and a
     * constant number of pipelined writes, whatever the number of jobs.
     *
     * @param jobs the jobs
     * @return the distinct pids that received jobs, ascending
     * @throws ProcessError UNKNOWN_JOB_TYPE naming a type no worker lists, nothing placed
     */
    public List<Long> distribute(ProcessJob... jobs) {
        return distribute(Arrays.asList(jobs));
    }

    /**
     * As {@link #distribute(ProcessJob...)}.
     *
     * @param jobs the jobs
     * @return the distinct pids that received jobs, ascending
     */
    public List<Long> distribute(Collection<ProcessJob> jobs) {
        return distributeOver(members(), checked(new ArrayList<>(jobs)), false);
    }

    /**
     * As {@link #distribute(ProcessJob...)} over some workers only.
     *
     * @param pids the workers to use
     * @param jobs the jobs
     * @return the distinct pids that received jobs, ascending
     * @throws ProcessError NO_SUCH_WORKER for a pid this manager does not have
     */
    public List<Long> distribute(List<Long> pids, ProcessJob... jobs) {
        Members all = members();
        pids.forEach(pid -> find(all.workers(), pid));
        return distributeOver(all.only(pids), checked(Arrays.asList(jobs)), false);
    }

    /**
     * As {@link #distribute(ProcessJob...)} over the workers open now; when none is open, over all.
     *
     * @param jobs the jobs
     * @return the distinct pids that received jobs, ascending
     */
    public List<Long> distributeOpen(ProcessJob... jobs) {
        return distributeOver(members(), checked(Arrays.asList(jobs)), true);
    }

    private List<Long> distributeOver(Members m, List<ProcessJob> jobs, boolean openOnly) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<Long> targets = new Balancer(loads(m)).evenly(types(jobs), openOnly);
        List<Planned> plan = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            long pid = targets.get(i);
            plan.add(new Planned(m.bindingOf(pid), jobs.get(i), Target.EXACT, pid, Object.class));
        }
        return distinct(place(plan));
    }

    /**
     * Runs a job on the first open worker, else puts it on the fleet backlog, which the next
     * worker to become free takes.
     *
     * @param job the job
     * @return its future
     * @throws ProcessError UNKNOWN_JOB_TYPE when no worker lists the job's type
     */
    public JobFuture<Object> submit(ProcessJob job) {
        return submit(job, Object.class);
    }

    /**
     * Runs a {@link Job} record on the first open worker, else on the fleet backlog.
     *
     * @param job the record
     * @param <R> its return, read from its {@code Job<R>} type argument
     * @return its future, completing with the converted return
     */
    public <R> JobFuture<R> submit(Job<R> job) {
        return submit(ParametricProcesses.newJob(job), ParametricProcesses.returnTypeOf(job));
    }

    /**
     * Runs a job on one worker, behind its queued jobs.
     *
     * @param pid the worker
     * @param job the job
     * @return its future
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE
     */
    public JobFuture<Object> submit(long pid, ProcessJob job) {
        Worker<?> w = get(pid);
        @SuppressWarnings("unchecked")
        JobFuture<Object> f = (JobFuture<Object>) place(List.of(new Planned(w.binding(), checked(List.of(job)).get(0),
                Target.EXACT, pid, Object.class))).futures().get(0);
        return f;
    }

    private <R> JobFuture<R> submit(ProcessJob job, Type returnType) {
        checked(List.of(job));
        Members m = members();
        Binding fleetBinding = redisBinding();
        if (m.workers().isEmpty() && job.jobType().isEmpty() && fleetBinding != null) {
            // No worker yet: the backlog waits for the first one that registers (a scaled-up container).
            @SuppressWarnings("unchecked")
            JobFuture<R> f = (JobFuture<R>) place(List.of(new Planned(fleetBinding, job, Target.OPEN_OR_BACKLOG, 0, returnType)))
                    .futures().get(0);
            return f;
        }
        Binding target = m.bindings().size() == 1 ? m.bindings().get(0) : null;
        if (target == null || !job.jobType().isEmpty()) {
            Balancer balancer = new Balancer(loads(m));
            if (!balancer.anyListing(job.jobType())) {
                throw balancer.noneFor(job.jobType());
            }
            if (target == null) {
                target = m.bindings().stream()
                        .filter(b -> new Balancer(loadsOf(m, b)).anyOpen(job.jobType())).findFirst()
                        .orElseGet(() -> m.bindings().stream().filter(b -> b.backend().usesRedis()).findFirst()
                                .orElse(m.bindings().get(0)));
            }
        }
        @SuppressWarnings("unchecked")
        JobFuture<R> f = (JobFuture<R>) place(List.of(new Planned(target, job, Target.OPEN_OR_BACKLOG, 0, returnType)))
                .futures().get(0);
        return f;
    }

    /**
     * Re-attaches to a job by id: a job still running completes the future when it finishes.
     *
     * @param jobId the id from {@link JobFuture#jobId()}
     * @return a future of the job's return
     * @throws ProcessError ILLEGAL_STATE when the fleet does not know the job (never placed, or expired)
     */
    @SuppressWarnings("unchecked")
    public JobFuture<Object> job(String jobId) {
        JobFuture<?> known = known(jobId);
        if (known != null && known.returnType() == Object.class) {
            return (JobFuture<Object>) known;
        }
        Binding redisBinding = redisBinding();
        JobFuture<Object> f = new JobFuture<>(jobId, Object.class, this::probe, this::cancelInFleet);
        if (known != null) {
            known.whenComplete((r, e) -> mirror(known, f));
            return f;
        }
        if (redisBinding == null) {
            throw unknownJob(jobId);
        }
        // Armed before asking, so an outcome that arrives between the two is never missed.
        JobTracker.register(f);
        try {
            redisBinding.fleet().orElseThrow().watch(jobId, managerId).ifPresent(f::completeWith);
        } catch (ProcessError e) {
            JobTracker.forget(f);
            throw e;
        }
        return f;
    }

    private static void mirror(JobFuture<?> from, JobFuture<Object> to) {
        try {
            to.complete(from.join());
        } catch (CancellationException e) {
            to.cancel(false);
        } catch (CompletionException e) {
            to.completeExceptionally(e.getCause());
        }
    }

    private ProcessError unknownJob(String jobId) {
        return new ProcessError(Reason.ILLEGAL_STATE,
                "no job " + jobId + " in fleet '" + fleetName + "'; it was never placed here or its record expired "
                        + "(kept for 24h after its outcome)", null, jobId, null, null, null);
    }

    /**
     * Cancels a job: queued, it is removed and fails with CANCELLED; running, it is asked to stop.
     *
     * @param jobId the job
     */
    public void cancel(String jobId) {
        cancelInFleet(jobId);
        JobFuture<?> f = JobTracker.find(jobId);
        if (f != null) {
            f.cancelLocally();
        }
    }

    /**
     * @param jobId a job
     * @return its future when this manager placed it (looked up first: its own record never has a
     *     gap between the outcome's delivery and the future's completion), or when another
     *     manager of this JVM waits for it; else null
     */
    private JobFuture<?> known(String jobId) {
        JobFuture<?> own = tracker.placedJob(jobId);
        return own != null ? own : JobTracker.find(jobId);
    }

    private void cancelInFleet(String jobId) {
        JobFuture<?> f = known(jobId);
        Binding b = f != null ? f.binding() : redisBinding();
        if (b != null) {
            b.backend().cancel(b, jobId);
        }
    }

    private ProcessBackend.Progress probe(String jobId) {
        JobFuture<?> f = known(jobId);
        Binding b = f != null ? f.binding() : redisBinding();
        return b == null ? new ProcessBackend.Progress(null, 0) : b.backend().progress(b, jobId);
    }

    // ---------------------------------------------------------------- waiting and returns

    /**
     * For each pid, waits until every job this manager placed there before the call has an
     * outcome (wherever it finally ran), and returns the outcome of the last such job — or the
     * worker's latest return when this manager placed none there.
     *
     * <p>A worker that has left the fleet since (killed, its container stopped) can still be
     * waited for by its pid when this manager placed jobs there: they were re-homed, and the
     * returned outcome is from wherever the last one finally ran.
     *
     * @param pids the workers; none for all of this manager's workers
     * @return the returns, in argument order
     * @throws ProcessError the failure of a returned outcome (JOB_FAILED with the remote class,
     *     message and stack trace; JOB_TIMEOUT, CANCELLED, WORKER_LOST, POISON), or NO_SUCH_WORKER
     *     for a pid that is not a worker here and where this manager never placed a job
     */
    public List<Object> waitFor(long... pids) {
        return await(null, pids);
    }

    /**
     * As {@link #waitFor(long...)}, giving up after a timeout.
     *
     * @param timeout how long to wait at most
     * @param pids the workers; none for all
     * @return the returns, in argument order
     * @throws ProcessError TIMEOUT naming the pids still busy, or as {@link #waitFor(long...)}
     */
    public List<Object> waitFor(Duration timeout, long... pids) {
        return await(timeout, pids);
    }

    private List<Object> await(Duration timeout, long[] pids) {
        List<Worker<?>> all = workers();
        List<Long> targets = pids.length == 0 ? pidsOf(all) : Arrays.stream(pids).boxed().toList();
        List<JobTracker.Snapshot> snapshots = targets.stream().map(tracker::snapshot).toList();
        // A pid this manager placed jobs on stays waitable after its worker left the fleet (killed,
        // container stopped): its jobs were re-homed and their outcomes still come here. Only a
        // pid without such jobs needs the worker itself, for its latest return.
        List<Worker<?>> workers = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            workers.add(snapshots.get(i).last() != null ? null : find(all, targets.get(i)));
        }
        CompletableFuture<?>[] pending = snapshots.stream().flatMap(s -> s.unfinished().stream()).toArray(CompletableFuture[]::new);
        try {
            if (timeout == null) {
                CompletableFuture.allOf(pending).get();
            } else {
                CompletableFuture.allOf(pending).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            List<Long> busy = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                if (snapshots.get(i).unfinished().stream().anyMatch(f -> !f.isDone())) {
                    busy.add(targets.get(i));
                }
            }
            throw new ProcessError(Reason.TIMEOUT,
                    "waitFor gave up after " + timeout + "; workers " + busy + " are still busy with jobs this manager placed "
                            + "— wait longer, or look at them with get(pid).queued()",
                    busy.size() == 1 ? busy.get(0) : null, null, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError(Reason.TIMEOUT, "waitFor was interrupted", e);
        } catch (ExecutionException | CancellationException e) {
            // a failed job: its outcome is read below, per pid
        }
        List<Object> returns = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            JobFuture<?> last = snapshots.get(i).last();
            returns.add(last == null ? workers.get(i).ret() : returnOf(last, targets.get(i)));
        }
        return returns;
    }

    private static Object returnOf(JobFuture<?> f, long pid) {
        try {
            return f.join();
        } catch (CancellationException e) {
            Long where = f.pid();
            throw new ProcessError(Reason.CANCELLED,
                    "job " + f.jobId() + " on worker " + (where != null ? where : pid) + " was cancelled before it finished",
                    where != null ? where : pid, f.jobId(), null, null, null);
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProcessError p) {
                throw p;
            }
            throw e;
        }
    }

    /**
     * Each worker's latest return as stored (by any manager's job); never waits, never clears.
     *
     * @param pids the workers; none for all
     * @return the returns, in argument order (null where a worker has none)
     * @throws ProcessError when a latest job failed, or NO_SUCH_WORKER
     */
    public List<Object> getReturn(long... pids) {
        List<Worker<?>> all = workers();
        List<Long> targets = pids.length == 0 ? pidsOf(all) : Arrays.stream(pids).boxed().toList();
        List<Object> returns = new ArrayList<>(targets.size());
        for (long pid : targets) {
            returns.add(find(all, pid).ret());
        }
        return returns;
    }

    /**
     * A worker's latest return, converted.
     *
     * @param pid the worker
     * @param type the type to convert to
     * @param <T> the type
     * @return the return, or null when it has none
     * @throws ProcessError when its latest job failed, NO_SUCH_WORKER, or BAD_PAYLOAD when it does not convert
     */
    public <T> T getReturn(long pid, Class<T> type) {
        Outcome latest = get(pid).latest();
        return latest == null ? null : Outcomes.value(latest, type);
    }

    // ---------------------------------------------------------------- shared values

    /**
     * Sets a fleet-wide value, read in jobs with {@code JobContext.current().fetch(name, type)}.
     *
     * @param name the name
     * @param value any value that serializes to JSON
     */
    public void put(String name, Object value) {
        values().put(name, write(name, value));
    }

    /**
     * Sets a value seen only by some workers; it wins over a fleet-wide value of that name.
     *
     * @param pids the workers
     * @param name the name
     * @param value any value that serializes to JSON
     * @throws ProcessError NO_SUCH_WORKER
     */
    public void put(List<Long> pids, String name, Object value) {
        write(name, value);
        Members m = members();
        pids.forEach(pid -> find(m.workers(), pid));
        Map<Binding, List<Long>> byBinding = new LinkedHashMap<>();
        for (long pid : pids) {
            byBinding.computeIfAbsent(m.bindingOf(pid), b -> new ArrayList<>()).add(pid);
        }
        byBinding.forEach((b, ps) -> b.backend().put(b, ps, name, value));
    }

    /**
     * @param name the name
     * @return the fleet-wide value in its natural form (Integer, String, List, Map, ...), or null
     */
    public Object fetch(String name) {
        return fetch(name, Object.class);
    }

    /**
     * @param name the name
     * @param type the type to convert to
     * @param <T> the type
     * @return the fleet-wide value, or null
     */
    public <T> T fetch(String name, Class<T> type) {
        String json = values().get(0, name);
        return json == null ? null : Json.read(json, type);
    }

    private static String write(String name, Object value) {
        try {
            return Json.write(value);
        } catch (IllegalArgumentException e) {
            throw new ProcessError(Reason.BAD_PAYLOAD,
                    "shared value '" + name + "' cannot travel as JSON: " + e.getMessage() + "; put a value Jackson can write", e);
        }
    }

    // ---------------------------------------------------------------- internals

    /** @return the manager's id (its completion list) */
    String managerId() {
        return managerId;
    }

    /** @return the fleet this manager's Redis-backed workers join */
    String fleetName() {
        return fleetName;
    }

    /** @return how Redis was found, or null when the manager has none yet */
    String redisOrigin() {
        FleetConnection c = connection;
        return c == null ? null : c.origin();
    }

    SharedValues values() {
        FleetConnection c = connection;
        return c == null ? memoryValues : SharedValues.in(c.fleet());
    }

    long newPid() {
        FleetConnection c = connection;
        long pid;
        if (c != null) {
            pid = c.fleet().newPid();
        } else {
            synchronized (lock) {
                long listed = members.stream().mapToLong(Worker::pid).max().orElse(0);
                localPids.accumulateAndGet(listed, Math::max);
            }
            pid = localPids.incrementAndGet();
        }
        HIGH_WATER.accumulateAndGet(pid, Math::max);
        return pid;
    }

    private void reservePids(long pid) {
        localPids.accumulateAndGet(pid, Math::max);
        FleetConnection c = connection;
        if (c != null) {
            c.fleet().reservePidsUpTo(pid);
        }
    }

    Optional<Fleet> fleetIfConnected() {
        FleetConnection c = connection;
        return c == null ? Optional.empty() : Optional.of(c.fleet());
    }

    Optional<String> redisUrlIfConnected() {
        FleetConnection c = connection;
        return c == null ? Optional.empty() : Optional.of(c.workerUrl());
    }

    private void open() {
        if (closed) {
            throw new ProcessError(Reason.ILLEGAL_STATE, "this manager is closed; add workers with addWorkers(n) to use it again, or make a new one with processes(n)");
        }
    }

    /** @return the binding of a kind, made (with its backend, and Redis when it needs one) on first use */
    Binding binding(Class<? extends ProcessKind> kind) {
        synchronized (lock) {
            Binding b = bindings.get(kind);
            if (b != null) {
                return b;
            }
            ProcessBackend backend = backendFor(kind);
            if (backend.usesRedis() && connection == null) {
                RedisLocator.Found found = RedisLocator.locate();
                FleetConnection c = new FleetConnection(found, fleetName, managerId, JobTracker::deliver, () -> JobTracker.unfinishedRedisJobs(this));
                // Pids already given to in-JVM workers, adopted, or listed from before a close must
                // never come out of the fleet counter (a new private Redis starts it from zero).
                long listed = members.stream().mapToLong(Worker::pid).max().orElse(0);
                long floor = Math.max(Math.max(localPids.get(), pidFloor), listed);
                if (floor > 0) {
                    c.fleet().reservePidsUpTo(floor);
                }
                connection = c;
            }
            b = new Binding(this, backend);
            bindings.put(kind, b);
            if (firstKind == null) {
                firstKind = kind;
            }
            return b;
        }
    }

    private Binding redisBinding() {
        synchronized (lock) {
            return bindings.values().stream().filter(b -> b.backend().usesRedis()).findFirst().orElse(null);
        }
    }

    static ProcessBackend backendFor(Class<? extends ProcessKind> kind) {
        for (ProcessBackend backend : ServiceLoader.load(ProcessBackend.class, ProcessBackend.class.getClassLoader())) {
            if (backend.kind() == kind) {
                return backend;
            }
        }
        for (ProcessBackend backend : ServiceLoader.load(ProcessBackend.class)) {
            if (backend.kind() == kind) {
                return backend;
            }
        }
        throw new ProcessError(Reason.ILLEGAL_STATE,
                "no ProcessBackend for kind " + kind.getName() + "; implement io.parametric.manager.ProcessBackend and list it in "
                        + "META-INF/services/io.parametric.manager.ProcessBackend");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <P extends ProcessKind> Class<P> castKind(Class<? extends ProcessKind> kind) {
        return (Class) kind;
    }

    private List<ProcessJob> checked(List<ProcessJob> jobs) {
        open();
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i) == null) {
                throw new IllegalArgumentException("job " + i + " is null; make jobs with newJob(...)");
            }
        }
        return jobs;
    }

    private static List<String> types(List<ProcessJob> jobs) {
        return jobs.stream().map(ProcessJob::jobType).toList();
    }

    private static List<Long> pidsOf(List<Worker<?>> workers) {
        return workers.stream().map(Worker::pid).sorted().toList();
    }

    private static List<Long> distinct(Placed placed) {
        return List.copyOf(new TreeSet<>(placed.pids().stream().filter(p -> p > 0).toList()));
    }

    /** The members and their bindings, read once per call. */
    private Members members() {
        List<Worker<?>> all = workers();
        return new Members(all);
    }

    private record Members(List<Worker<?>> workers) {
        Binding bindingOf(long pid) {
            return workers.stream().filter(w -> w.pid() == pid).findFirst().orElseThrow().binding();
        }

        /** @return the bindings in use, without those released by a close */
        List<Binding> bindings() {
            return workers.stream().map(Worker::binding).filter(b -> !b.released()).distinct().toList();
        }

        List<Long> releasedPids() {
            return workers.stream().filter(w -> w.binding().released()).map(Worker::pid).toList();
        }

        Members only(List<Long> pids) {
            return new Members(workers.stream().filter(w -> pids.contains(w.pid())).toList());
        }

        List<Long> pidsIn(Binding b) {
            return workers.stream().filter(w -> w.binding() == b).map(Worker::pid).toList();
        }
    }

    /** One read of the loads of the given members: one round trip per backend in use. */
    private List<Load> loads(Members m) {
        if (m.workers().isEmpty()) {
            throw new ProcessError(Reason.NO_SUCH_WORKER,
                    "this manager has no workers; nothing was placed — add some with addWorkers(n)");
        }
        List<Load> loads = new ArrayList<>();
        for (Binding b : m.bindings()) {
            loads.addAll(loadsOf(m, b));
        }
        for (long pid : m.releasedPids()) {
            loads.add(new Load(pid, 0, false, java.util.Set.of(), false));
        }
        return loads;
    }

    private static List<Load> loadsOf(Members m, Binding b) {
        return b.backend().loads(b, m.pidsIn(b));
    }

    /** A job to place: where, how, and what its future converts the return to. */
    private record Planned(Binding binding, ProcessJob job, Target target, long pid, Type returnType) {}

    /** What a placement call did. */
    private record Placed(List<JobFuture<?>> futures, List<Long> pids) {}

    /**
     * Places jobs: futures are registered first (so no outcome is missed), then each backend in
     * use gets its jobs in one call.
     */
    private Placed place(List<Planned> plan) {
        List<JobFuture<?>> futures = new ArrayList<>(plan.size());
        Map<Binding, List<Integer>> byBinding = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            JobFuture<?> f = new JobFuture<>(UUID.randomUUID().toString(), p.returnType(), this::probe, this::cancelInFleet);
            f.bind(p.binding());
            futures.add(f);
            byBinding.computeIfAbsent(p.binding(), b -> new ArrayList<>()).add(i);
        }
        futures.forEach(JobTracker::register);
        futures.forEach(tracker::track);
        Long[] pids = new Long[plan.size()];
        try {
            for (Map.Entry<Binding, List<Integer>> e : byBinding.entrySet()) {
                Binding b = e.getKey();
                List<Assignment> assignments = new ArrayList<>(e.getValue().size());
                for (int i : e.getValue()) {
                    Planned p = plan.get(i);
                    assignments.add(new Assignment(p.job().payload().placed(futures.get(i).jobId(), b.managerId()),
                            p.job().jobType(), p.target(), p.pid()));
                }
                List<Integer> now = new ArrayList<>();
                List<Fleet.Scheduled> later = new ArrayList<>();
                List<Assignment> immediate = new ArrayList<>();
                for (int k = 0; k < assignments.size(); k++) {
                    Planned p = plan.get(e.getValue().get(k));
                    if (!p.job().delay().isZero() && b.backend().usesRedis() && connection != null) {
                        // Held in the fleet's delayed-jobs set until due (Redis time), then placed on
                        // the first open worker or the backlog.
                        JobPayload payload = assignments.get(k).payload();
                        later.add(new Fleet.Scheduled(payload.id(), Json.write(payload), b.managerId(), p.job().delay()));
                        pids[e.getValue().get(k)] = 0L;
                    } else if (!p.job().delay().isZero()) {
                        // In-JVM kinds: held by a timer, then placed like submit (first open worker, else backlog).
                        Assignment a = assignments.get(k);
                        JobFuture<?> f = futures.get(e.getValue().get(k));
                        Collection<Long> open = connected ? null : candidates(b);
                        DELAYED.schedule(() -> {
                            try {
                                b.backend().assign(b, List.of(new Assignment(a.payload(), a.jobType(), Target.OPEN_OR_BACKLOG, 0)), open);
                            } catch (RuntimeException failure) {
                                f.completeExceptionally(failure);
                            }
                        }, p.job().delay().toMillis(), TimeUnit.MILLISECONDS);
                        pids[e.getValue().get(k)] = 0L;
                    } else {
                        now.add(e.getValue().get(k));
                        immediate.add(assignments.get(k));
                    }
                }
                List<Long> where = immediate.isEmpty() ? List.of() : b.backend().assign(b, immediate, connected ? null : candidates(b));
                for (int k = 0; k < where.size(); k++) {
                    pids[now.get(k)] = where.get(k);
                }
                if (!later.isEmpty()) {
                    connection.fleet().schedule(later);
                }
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < plan.size(); i++) {
                if (pids[i] == null) {
                    JobTracker.forget(futures.get(i));
                }
            }
            throw e;
        }
        for (int i = 0; i < plan.size(); i++) {
            if (pids[i] > 0) {
                tracker.placed(pids[i], futures.get(i));
            }
        }
        return new Placed(futures, Arrays.asList(pids));
    }

    // ---------------------------------------------------------------- dead letters

    /**
     * Lists the fleet's dead-letter list: jobs that were poison (delivered more times than their
     * limit, each delivery ending without an outcome) and entries that could not be read as jobs.
     *
     * <pre>{@code
     * procs.deadLetters().forEach(System.out::println);   // {"reason":"POISON: delivered 3 times ...","jobId":...,"entry":...}
     * }</pre>
     *
     * @return each entry as JSON with {@code reason}, {@code entry} (the raw job) and, when known,
     *     {@code jobId}; empty for a manager without Redis
     * @throws ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public List<String> deadLetters() {
        FleetConnection c = connection;
        return c == null ? List.of() : c.fleet().deadLetters();
    }

    /**
     * Gives every dead-lettered job a fresh start: its delivery count goes back to 0, its
     * outcome is cleared and it goes to the first open worker or the fleet backlog. Entries that
     * are not readable jobs stay in the list. A waiter that already got POISON is not woken
     * again; use {@link #job(String)} to follow the requeued job.
     *
     * @return how many jobs were requeued
     * @throws ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public int requeueDeadLetters() {
        FleetConnection c = connection;
        return c == null ? 0 : c.fleet().requeueDeadLetters();
    }

    /**
     * Empties the fleet's dead-letter list.
     *
     * @return how many entries it held
     * @throws ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public int purgeDeadLetters() {
        FleetConnection c = connection;
        return c == null ? 0 : c.fleet().purgeDeadLetters();
    }

    /**
     * Reads one consistent snapshot of the fleet in one round trip: backlog, delayed and
     * dead-letter lengths, every live worker (state, queue, running job, counts, heartbeat age)
     * and the jobs done and failed lately.
     *
     * @return the snapshot
     * @throws ProcessError ILLEGAL_STATE for a manager without Redis (Async workers only);
     *     REDIS_UNAVAILABLE when Redis does not answer
     */
    public FleetStats stats() {
        return io.parametric.manager.internal.StatsReader.read(fleetOrThrow("stats()"));
    }

    /**
     * Listens to the job events of the whole fleet — placed, started, progress, completed,
     * failed, retried, dead-lettered — whichever manager placed the jobs. The fleet writes events
     * only while some listener is registered (see docs/protocol.md, "Events").
     *
     * <pre>{@code
     * try (AutoCloseable events = procs.onEvent(e -> System.out.println(e.kind() + " " + e.jobId()))) {
     *     procs.distribute(jobs);
     *     procs.waitFor();
     * }
     * }</pre>
     *
     * @param listener receives each event on the listener's own thread, in order
     * @return closes the listener
     * @throws ProcessError ILLEGAL_STATE for a manager without Redis
     */
    public AutoCloseable onEvent(java.util.function.Consumer<JobEvent> listener) {
        return io.parametric.manager.internal.EventStream.listen(fleetOrThrow("onEvent(...)"), listener);
    }

    private Fleet fleetOrThrow(String call) {
        return fleetIfConnected().orElseThrow(() -> new ProcessError(Reason.ILLEGAL_STATE,
                call + " reads the fleet in Redis, and this manager has none (only in-JVM workers); use workers() instead"));
    }

    private List<Long> candidates(Binding b) {
        synchronized (lock) {
            return members.stream().filter(w -> w.binding() == b).map(Worker::pid).collect(Collectors.toList());
        }
    }

    @Override
    public String toString() {
        List<Worker<?>> all = workers();
        return "ProcessManager[fleet " + fleetName + ", " + all.size() + " workers]\n"
                + all.stream().map(Worker::toString).collect(Collectors.joining("\n"));
    }
}
