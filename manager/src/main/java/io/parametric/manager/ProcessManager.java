package io.parametric.manager;

import io.parametric.manager.Placer.Planned;
import io.parametric.manager.Planner.Members;
import io.parametric.manager.internal.EventStream;
import io.parametric.manager.internal.StatsReader;
import io.parametric.shared.Job;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.JobIds;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A set of workers and the jobs placed on them: the seed's {@code ProcessManager}. Thread-safe.
 * Close it to stop the workers it spawned (and a private Redis it started).
 *
 * <pre>{@code
 * try (ProcessManager procs = processes(4)) {
 *     procs.distribute(newJob(() -> 1), newJob(() -> 2));
 *     long pid = procs.assign(2, newJob(() -> { Thread.sleep(100); return 55; }));
 *     Object ret = procs.waitFor(pid).get(0);                     // 55
 *     List<Long> squares = procs.map((Long x) -> x * x, List.of(1L, 2L, 3L));
 *     ExecutorService pool = procs.executor();                      // the fleet as an executor
 * }
 * }</pre>
 *
 * <p>The API by concern:
 * <ul>
 *   <li>membership — {@link #workers()}, {@link #get(long)}, {@link #addWorkers(int, Class, String...)},
 *       {@link #push}, {@link #delete(long)}, {@link #close(long)}; a manager from {@code processes}
 *       lists the workers it created, pushed or added, a manager from {@code connect} lists the
 *       fleet's live workers, read afresh on each call of {@link #workers()} (placing and waiting
 *       use a copy the fleet keeps fresh, so they never list the fleet);</li>
 *   <li>placing — {@link #assign(long, ProcessJob)}, {@link #assignOpen}, {@link #distribute(ProcessJob...)},
 *       {@link #submit(ProcessJob)} (it returns at once; submits, from a loop or many threads, are
 *       coalesced into pipelined placements),
 *       and in batches {@link #submitAll}, {@link #map} and {@link #executor()};</li>
 *   <li>jobs and returns — {@link #job(String)}, {@link #cancel(String)}, {@link #waitFor(long...)},
 *       {@link #getReturn(long...)};</li>
 *   <li>shared values — {@link #put(String, Object)}, {@link #fetch(String)};</li>
 *   <li>dead letters — {@link #deadLetters()}, {@link #requeueDeadLetters()}, {@link #purgeDeadLetters()};</li>
 *   <li>seeing the fleet — {@link #stats()}, {@link #onEvent};</li>
 *   <li>fleet settings — {@link #backlogLimit(long)}, {@link #shards(int)} (one fleet over several Redis Cluster masters).</li>
 * </ul>
 */
public final class ProcessManager implements AutoCloseable {

    private final JobTracker tracker = new JobTracker(CompletionRouter.jvm());
    private final Backends backends;
    private final Membership membership;
    private final Planner planner;
    private final JobHandles handles;
    private final Placer placer;
    private final SubmitQueue submits;
    private final Waiting waiting;
    private final SharedState shared;

    private ProcessManager(String fleetName, long pidFloor, boolean connected) {
        JobIds ids = new JobIds();
        this.backends = new Backends(this, ids.managerId(), fleetName, pidFloor, CompletionRouter.jvm(), tracker,
                () -> membership().maxPid());
        this.membership = connected ? new FleetWorkers(backends) : new OwnedWorkers(backends, this);
        this.planner = new Planner(membership, backends);
        this.handles = new JobHandles(tracker, backends, this::flushSubmits);
        this.placer = new Placer(membership, tracker, handles, ids, this::flushSubmits);
        this.submits = new SubmitQueue(planner, placer, ids.managerId());
        this.waiting = new Waiting(membership, tracker, this::flushSubmits);
        this.shared = new SharedState(membership, backends);
    }

    /** Waits until every job submitted so far is placed (or failed to be). */
    private void flushSubmits() {
        submits.flush();
    }

    /** A manager that owns its workers, for {@code processes} and {@code createWorkers}. */
    static ProcessManager owning(String fleetName, long pidFloor) {
        return new ProcessManager(fleetName, pidFloor, false);
    }

    /** A manager over a fleet's existing workers, for {@code connect}. */
    static ProcessManager connected(String url, String fleet, FleetSecret secret) {
        ProcessManager m = new ProcessManager(fleet, 0, true);
        m.backends.connect(url, secret);
        m.backends.binding(Threaded.class);
        return m;
    }

    // ---------------------------------------------------------------- membership

    /**
     * @param pid a worker's pid (not its position)
     * @return the worker
     * @throws ProcessError NO_SUCH_WORKER naming the pid and the pids this manager has
     */
    public Worker<?> get(long pid) {
        return membership.get(pid);
    }

    /**
     * @param name a worker's name
     * @return the worker
     * @throws ProcessError NO_SUCH_WORKER naming the name and the pids this manager has
     */
    public Worker<?> get(String name) {
        return membership.get(name);
    }

    /** @return the workers, ascending pids (closed ones stay listed until deleted) */
    public List<Worker<?>> workers() {
        return membership.workers();
    }

    /** @return the pids of {@link #workers()}, ascending */
    public List<Long> workerPids() {
        return Membership.pidsOf(workers());
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
        return addWorkers(n, backends.firstKind());
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
     * @throws ProcessError when they do not get ready, Redis cannot be had for Threaded workers, or
     *     ILLEGAL_STATE on a manager made by {@code connect}
     */
    public ProcessManager addWorkers(int n, Class<? extends ProcessKind> kind, String... names) {
        ParametricProcesses.checkCount(n, names);
        membership.add(n, kind, List.of(names));
        return this;
    }

    /**
     * Adopts a worker made by {@code createWorkers}; this manager then lists and closes it.
     *
     * @param worker the worker
     * @return this manager
     * @throws ProcessError ILLEGAL_STATE when this manager already has a worker with that pid, or
     *     was made by {@code connect}
     */
    public ProcessManager push(Worker<?> worker) {
        membership.checkOpen();
        membership.push(worker);
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
        membership.remove(w.pid());
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
        if (!membership.close()) {
            return;
        }
        submits.close();
        List<ProcessManager> origins = membership.takeAdopted();
        List<RuntimeException> failures = new ArrayList<>(backends.close());
        for (ProcessManager origin : origins) {
            try {
                origin.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
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
        ProcessJob checkedJob = checked(List.of(job)).get(0);
        placer.placeFresh(() -> List.of(planner.exact(membership.member(pid), checkedJob)));
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
        return list.isEmpty() ? List.of() : distinct(placer.placeFresh(() -> planner.openFirst(planner.members(), list)));
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
        return distributeOver(planner::members, checked(new ArrayList<>(jobs)), false);
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
        return distributeOver(() -> planner.members(pids), checked(Arrays.asList(jobs)), false);
    }

    /**
     * As {@link #distribute(ProcessJob...)} over the workers open now; when none is open, over all.
     *
     * @param jobs the jobs
     * @return the distinct pids that received jobs, ascending
     */
    public List<Long> distributeOpen(ProcessJob... jobs) {
        return distributeOver(planner::members, checked(Arrays.asList(jobs)), true);
    }

    private List<Long> distributeOver(Supplier<Members> members, List<ProcessJob> jobs, boolean openOnly) {
        return jobs.isEmpty() ? List.of() : distinct(placer.placeFresh(() -> planner.evenly(members.get(), jobs, openOnly)));
    }

    /**
     * Runs a job on the first open worker, else puts it on the fleet backlog, which the next
     * worker to become free takes. It returns the job's future at once: submits that come while
     * a placement is under way, from this thread or others, are placed together in the next one,
     * pipelined, so a plain loop of submits is placed in batches. A placement error (BAD_PAYLOAD
     * for a job over the size limit, REDIS_UNAVAILABLE) completes the future exceptionally.
     * {@code waitFor}, {@code cancel} and every other placement first wait for the submits queued
     * before them.
     *
     * @param job the job
     * @return its future
     * @throws ProcessError UNKNOWN_JOB_TYPE when no worker lists the job's type, NO_SUCH_WORKER
     *     when this manager has no worker
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
        return submits.submit(checked(List.of(ParametricProcesses.newJob(job))).get(0), ParametricProcesses.returnTypeOf(job));
    }

    /**
     * Runs a job on one worker, behind its queued jobs.
     *
     * @param pid the worker
     * @param job the job
     * @return its future
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE
     */
    @SuppressWarnings("unchecked")
    public JobFuture<Object> submit(long pid, ProcessJob job) {
        ProcessJob checkedJob = checked(List.of(job)).get(0);
        return (JobFuture<Object>) placer.placeFresh(() -> List.of(planner.exact(membership.member(pid), checkedJob))).futures().get(0);
    }

    /**
     * Submits many jobs at once, each as {@link #submit(ProcessJob)}, placed with a constant
     * number of pipelined round trips per chunk (as {@link #distribute(Collection)}).
     *
     * <pre>{@code
     * List<JobFuture<Object>> futures = procs.submitAll(jobs);
     * }</pre>
     *
     * @param jobs the jobs
     * @return one future per job, in order
     * @throws ProcessError UNKNOWN_JOB_TYPE when no worker lists a job's type, nothing placed
     */
    public List<JobFuture<Object>> submitAll(Collection<ProcessJob> jobs) {
        List<ProcessJob> list = new ArrayList<>(jobs);
        return submitAll(list, Collections.nCopies(list.size(), Object.class));
    }

    /**
     * Submits one job whose future converts its return to a type (coalesced as
     * {@link #submit(ProcessJob)}); a keyed job is placed at once, since its future is the job of
     * its key when it joins one ({@link ProcessJob#withKey}).
     */
    <R> JobFuture<R> submit(ProcessJob job, Type returnType) {
        if (job.key().isPresent()) {
            return this.<R>submitAll(List.of(job), List.of(returnType)).get(0);
        }
        return submits.submit(checked(List.of(job)).get(0), returnType);
    }

    @SuppressWarnings("unchecked")
    <R> List<JobFuture<R>> submitAll(List<ProcessJob> jobs, List<Type> returnTypes) {
        if (checked(jobs).isEmpty()) {
            return List.of();
        }
        List<JobFuture<?>> futures = placer.place(planner.submit(jobs, returnTypes)).futures();
        return futures.stream().map(f -> (JobFuture<R>) f).toList();
    }

    /**
     * The seed's "one job per input, wait for all": runs {@code fn} on each input across the
     * fleet and returns every result in input order, converted to the return type of {@code fn}
     * (a lambda typed {@code Fn.Call1<Integer, Long>} yields {@code Long}s).
     *
     * <pre>{@code
     * List<Long> squares = procs.map((Long x) -> x * x, List.of(1L, 2L, 3L));   // [1, 4, 9]
     * }</pre>
     *
     * @param fn a serializable lambda or method reference
     * @param inputs the inputs
     * @param <T> an input
     * @param <R> a result
     * @return the results, in input order
     * @throws ProcessError the first failure in input order, naming the input's index and job id
     */
    public <T, R> List<R> map(Fn.Call1<T, R> fn, Collection<T> inputs) {
        return new BatchMap<>(this, fn).run(inputs);
    }

    /**
     * The fleet as a {@link java.util.concurrent.ExecutorService}: tasks are serializable
     * {@code Callable}/{@code Runnable} lambdas, each placed as {@link #submit(ProcessJob)}; a
     * result comes back converted to the return type of the task's signature.
     * {@code shutdown()} stops this executor accepting tasks; it never stops the fleet's workers.
     *
     * <pre>{@code
     * ExecutorService pool = procs.executor();
     * Future<Long> f = pool.submit((Callable<Long> & Serializable) () -> 42L);
     * }</pre>
     *
     * @return a new executor over this manager
     */
    public ExecutorService executor() {
        return new FleetExecutor(this);
    }

    /**
     * Re-attaches to a job by id: a job still running completes the future when it finishes.
     * A job that vanishes from the fleet (its record deleted) fails the future within two lease
     * periods instead of leaving it waiting.
     *
     * @param jobId the id from {@link JobFuture#jobId()}
     * @return a future of the job's return
     * @throws ProcessError ILLEGAL_STATE when the fleet does not know the job (never placed, or expired)
     */
    public JobFuture<Object> job(String jobId) {
        return handles.job(jobId);
    }

    /**
     * Cancels a job: queued, it is removed and fails with CANCELLED; running, it is asked to stop.
     *
     * @param jobId the job
     */
    public void cancel(String jobId) {
        handles.cancel(jobId);
    }

    // ---------------------------------------------------------------- waiting and returns

    /**
     * For each pid, waits until every job this manager placed there before the call has an
     * outcome (wherever it finally ran), and returns the outcome of the last such job — or the
     * worker's latest return when this manager placed none there.
     *
     * <p>A worker that has left the fleet since (killed, its container stopped) can still be
     * waited for by its pid when this manager placed jobs there: they were re-homed, and the
     * returned outcome is from wherever the last one finally ran. A job that vanished from the
     * fleet fails within two lease periods, so this never waits forever on it.
     *
     * @param pids the workers; none for all of this manager's workers
     * @return the returns, in argument order
     * @throws ProcessError the failure of a returned outcome (JOB_FAILED with the remote class,
     *     message and stack trace; JOB_TIMEOUT, CANCELLED, WORKER_LOST, POISON), or NO_SUCH_WORKER
     *     for a pid that is not a worker here and where this manager never placed a job
     */
    public List<Object> waitFor(long... pids) {
        return waiting.waitFor(null, pids);
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
        return waiting.waitFor(timeout, pids);
    }

    /**
     * Each worker's latest return as stored (by any manager's job); never waits, never clears.
     *
     * @param pids the workers; none for all
     * @return the returns, in argument order (null where a worker has none)
     * @throws ProcessError when a latest job failed, or NO_SUCH_WORKER
     */
    public List<Object> getReturn(long... pids) {
        return waiting.latestReturns(pids);
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
        return waiting.latestReturn(pid, type);
    }

    // ---------------------------------------------------------------- shared values

    /**
     * Sets a fleet-wide value, read in jobs with {@code JobContext.current().fetch(name, type)}.
     *
     * @param name the name
     * @param value any value that serializes to JSON
     */
    public void put(String name, Object value) {
        shared.put(name, value);
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
        shared.put(pids, name, value);
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
        return shared.fetch(name, type);
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
        return backends.shards().map(FleetShards::deadLetters).orElse(List.of());
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
        return backends.shards().map(FleetShards::requeueDeadLetters).orElse(0);
    }

    /**
     * Empties the fleet's dead-letter list.
     *
     * @return how many entries it held
     * @throws ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public int purgeDeadLetters() {
        return backends.shards().map(FleetShards::purgeDeadLetters).orElse(0);
    }

    /**
     * Sets the fleet's backlog limit, a fleet setting kept in Redis and read by every manager: a
     * placement that would take the fleet backlog (jobs for whichever worker is free first; not
     * workers' own queues) past it waits up to {@code pp.backlog.wait} / {@code PP_BACKLOG_WAIT}
     * (default 30 s) for room, then fails with {@link ProcessError.Reason#QUEUE_FULL} naming the
     * limit and the backlog's length. Workers started with {@code PP_BACKLOG_LIMIT} set it too. On a
     * sharded fleet ({@link #shards(int)}) each shard's backlog is limited to it.
     *
     * @param limit the most jobs the backlog may hold; 0 for no limit (the default)
     * @throws ProcessError ILLEGAL_STATE for a manager without Redis
     */
    public void backlogLimit(long limit) {
        shardsOrThrow("backlogLimit(n)").backlogLimit(limit);
    }

    /**
     * Spreads the fleet over more shards, a fleet setting kept in Redis: each shard is a complete
     * set of the fleet's queues under its own Redis Cluster hash tag, so on a cluster the fleet's
     * load spreads over the masters those slots live on (docs/scaling.md). Workers that start
     * later join the shard whose backlog most needs them; managers place jobs for whichever
     * worker is free first across shards in proportion to their live workers, and see the whole
     * fleet. The count never falls: jobs never move between shards. Workers started with
     * {@code PP_SHARDS} raise it too.
     *
     * <pre>{@code
     * try (ProcessManager procs = connect("redis-cluster://10.0.0.1:6379", "render")) {
     *     procs.shards(3);
     * }
     * }</pre>
     *
     * @param n the shard count, 1 to 256; at least the fleet's count now
     * @throws ProcessError ILLEGAL_STATE for a manager without Redis, or when n is below the
     *     fleet's count
     * @throws IllegalArgumentException when n is out of range
     */
    public void shards(int n) {
        shardsOrThrow("shards(n)").raiseTo(n);
        backends.connection().ifPresent(c -> c.followShards());
    }

    /**
     * @return how many shards the fleet has (1 unless it was sharded with {@link #shards(int)} or
     *     {@code PP_SHARDS}), as this manager last read it
     * @throws ProcessError ILLEGAL_STATE for a manager without Redis
     */
    public int shards() {
        return shardsOrThrow("shards()").count();
    }

    // ---------------------------------------------------------------- seeing the fleet

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
        return StatsReader.read(shardsOrThrow("stats()"));
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
     * @param listener receives each event on the listener's own thread, in order (on a sharded
     *     fleet one thread per shard, in order within each shard)
     * @return closes the listener
     * @throws ProcessError ILLEGAL_STATE for a manager without Redis
     */
    public AutoCloseable onEvent(Consumer<JobEvent> listener) {
        List<EventStream> streams = shardsOrThrow("onEvent(...)").all().stream().map(f -> EventStream.listen(f, listener)).toList();
        return streams.size() == 1 ? streams.get(0) : () -> streams.forEach(EventStream::close);
    }

    private FleetShards shardsOrThrow(String call) {
        return backends.shards().orElseThrow(() -> new ProcessError(Reason.ILLEGAL_STATE,
                call + " reads the fleet in Redis, and this manager has none (only in-JVM workers); use workers() instead"));
    }

    /** @return one line: the fleet and how many workers, e.g. {@code ProcessManager[fleet pp-1a2b, 1 worker]} */
    @Override
    public String toString() {
        int n = workers().size();
        return "ProcessManager[fleet " + backends.fleetName() + ", " + n + (n == 1 ? " worker]" : " workers]");
    }

    // ---------------------------------------------------------------- for the package

    Membership membership() {
        return membership;
    }

    /** @return the binding of a kind, made on first use */
    Binding binding(Class<? extends ProcessKind> kind) {
        return backends.binding(kind);
    }

    String managerId() {
        return backends.managerId();
    }

    String fleetName() {
        return backends.fleetName();
    }

    /** @return how Redis was found, or null when the manager has none yet */
    String redisOrigin() {
        return backends.connection().map(c -> c.origin()).orElse(null);
    }

    /** A keyed placement joined another job: see {@link Placer#joined}. */
    void joined(String placedJobId, String joinedJobId) {
        placer.joined(placedJobId, joinedJobId);
    }

    Optional<Fleet> fleetIfConnected() {
        return backends.fleet();
    }

    Optional<String> redisUrlIfConnected() {
        return backends.connection().map(c -> c.workerUrl());
    }

    private List<ProcessJob> checked(List<ProcessJob> jobs) {
        membership.checkOpen();
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i) == null) {
                throw new IllegalArgumentException("job " + i + " is null; make jobs with newJob(...)");
            }
        }
        return jobs;
    }

    private static List<Long> distinct(Placer.Placed placed) {
        return List.copyOf(new TreeSet<>(placed.pids().stream().filter(p -> p > 0).toList()));
    }
}
