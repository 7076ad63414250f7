package io.parametric.manager.internal;

import io.parametric.manager.ProcessBackend;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.Limits;
import io.parametric.shared.protocol.Placement;
import io.parametric.shared.protocol.WorkerRecord;
import io.parametric.shared.protocol.WorkerState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;

/**
 * {@link Threaded} workers: worker JVMs in a Redis fleet. Placement is one pipelined call of the
 * placement script per call (chunked by {@link Fleet#place}); outcomes come back through the
 * manager's completion list.
 *
 * <p>A spawned JVM that dies while its manager is open (killed, crashed, or exited non-zero
 * because a job ignored its timeout) is replaced: its in-flight and queued jobs are handed to the
 * fleet at once (no lease to wait for: the process is known dead, so no late completion can
 * come), and a new worker JVM is spawned and listed by the manager beside the dead one. A JVM
 * that exits with status 0 (SIGTERM, closed) is not replaced.
 */
public final class ThreadedBackend implements ProcessBackend {

    private static final Logger LOG = Logs.get(ThreadedBackend.class);

    private final List<ThreadedWorker> spawned = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private Context context;
    private FleetAccess access;

    /** Made by {@link java.util.ServiceLoader}. */
    public ThreadedBackend() {}

    @Override
    public Class<? extends ProcessKind> kind() {
        return Threaded.class;
    }

    @Override
    public boolean usesRedis() {
        return true;
    }

    /**
     * @param context the manager's side; it must also be the manager's {@link FleetAccess}
     * @throws ProcessError ILLEGAL_STATE when the manager has no fleet to give
     */
    @Override
    public void bind(Context context) {
        if (!(context instanceof FleetAccess fleetAccess)) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "Threaded workers need the manager's Redis fleet; bind this backend through a ProcessManager");
        }
        this.context = context;
        this.access = fleetAccess;
    }

    @Override
    public List<WorkerHandle> createWorkers(int n, List<String> names) {
        Fleet fleet = access.fleet();
        List<WorkerHandle> made = new ArrayList<>();
        for (WorkerSpawner.Spawned s : WorkerSpawner.spawn(access.redisUrl(), access.privateRedis(), fleet.keys().fleet(), fleet.secret(),
                n, names)) {
            ThreadedWorker w = new ThreadedWorker(access.shards().of(s.pid()), s.pid(), s.name(), s.process());
            spawned.add(w);
            made.add(w);
            replaceWhenDead(w);
        }
        return made;
    }

    /**
     * @param status a spawned worker's exit status
     * @return what it means: 3 is the JVM's own exit on an OutOfMemoryError (spawned workers run
     *     with {@code -XX:+ExitOnOutOfMemoryError}), 71 the worker's (a JVM without that flag)
     */
    static String exitReason(int status) {
        return switch (status) {
            case 3 -> "ran out of memory (exit status 3: -XX:+ExitOnOutOfMemoryError)";
            case 71 -> "ran out of memory (exit status 71)";
            default -> "died with status " + status;
        };
    }

    private void replaceWhenDead(ThreadedWorker w) {
        w.exited().thenAcceptAsync(p -> {
            int status = p.exitValue();
            if (closed || w.stopRequested() || status == 0) {
                return;
            }
            Fleet fleet = access.fleet();
            try {
                Fleet.Rehomed r = w.fleet().rehome(w.pid(), true, "dead", "its process " + exitReason(status));
                LOG.warn("spawned worker {} ({}) {}: {} job(s) handed to the fleet, {} failed (pinned); starting a replacement",
                        w.pid(), w.name(), exitReason(status), r.moved(), r.failed());
            } catch (RuntimeException e) {
                // Redis is away: the reapers hand its jobs on once Redis is back and its lease ran out.
                LOG.warn("spawned worker {} ({}) {}; its jobs will be handed on by the reaper ({}); starting a replacement",
                        w.pid(), w.name(), exitReason(status), e.getMessage());
            }
            long backoffMs = 1000;
            for (int attempt = 1; !closed; attempt++) {
                try {
                    WorkerSpawner.Spawned s = WorkerSpawner.spawn(access.redisUrl(), access.privateRedis(), fleet.keys().fleet(),
                            fleet.secret(), 1, List.of()).get(0);
                    ThreadedWorker fresh = new ThreadedWorker(access.shards().of(s.pid()), s.pid(), s.name(), s.process());
                    spawned.add(fresh);
                    if (closed) {
                        fresh.requestStop();
                        return;
                    }
                    replaceWhenDead(fresh);
                    context.replaced(w, fresh);
                    return;
                } catch (RuntimeException e) {
                    if (attempt >= REPLACE_ATTEMPTS) {
                        LOG.error("spawned worker {} ({}) could not be replaced after {} attempts: {}", w.pid(), w.name(), attempt, e.toString());
                        return;
                    }
                    LOG.warn("replacement for spawned worker {} did not start ({}); trying again in {} ms", w.pid(), e.getMessage(), backoffMs);
                    try {
                        Thread.sleep(backoffMs); // a retry backoff (Redis may be restarting), not a wait for a condition
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                }
            }
        }, replacer);
    }

    /** @return the fleet's live workers, ascending pids: those this backend spawned and any other */
    @Override
    public List<WorkerHandle> liveWorkers() {
        List<WorkerHandle> live = new ArrayList<>();
        for (Fleet fleet : access.shards().all()) {
            for (Fleet.WorkerLoad l : fleet.loads(fleet.livePids())) {
                access.shards().learn(l.pid(), fleet.keys().shard());
                ThreadedWorker mine = spawned.stream().filter(w -> w.pid() == l.pid()).findFirst().orElse(null);
                live.add(mine != null ? mine : new ThreadedWorker(fleet, l.pid(), l.record().map(WorkerRecord::name).orElse("?"), null));
            }
        }
        live.sort(Comparator.comparingLong(WorkerHandle::pid));
        return live;
    }

    /** How many times a replacement is tried (with backoff up to 10 s) before giving up. */
    private static final int REPLACE_ATTEMPTS = 30;

    private final java.util.concurrent.ExecutorService replacer = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pp-replace-worker");
        t.setDaemon(true);
        return t;
    });

    /**
     * Places the jobs due now in one pipelined call of the placement script, and the delayed ones
     * in one call of the schedule script: the fleet's delayed-jobs set holds them until due
     * (Redis time), then they go to the first open worker or the backlog. On a sharded fleet, a
     * job for a worker goes to that worker's shard and a job for whichever worker is free first
     * to a shard chosen by {@link ShardChoice}; each shard gets its jobs in one such call.
     */
    @Override
    public List<Long> assign(List<Assignment> assignments, Collection<Long> candidates) {
        FleetShards shards = access.shards();
        if (shards.count() == 1) {
            return assignOn(shards.base(), assignments, candidates);
        }
        long[] weights = null;
        Map<Integer, List<Integer>> byShard = new TreeMap<>();
        for (int i = 0; i < assignments.size(); i++) {
            Assignment a = assignments.get(i);
            int shard;
            if (a.target() == Target.OPEN_OR_BACKLOG) {
                weights = weights != null ? weights : weights(shards, candidates);
                shard = ShardChoice.of(a.payload().id(), weights);
            } else {
                shard = shards.of(a.pid()).keys().shard();
            }
            byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(i);
        }
        Long[] pids = new Long[assignments.size()];
        for (Map.Entry<Integer, List<Integer>> e : byShard.entrySet()) {
            List<Assignment> some = new ArrayList<>(e.getValue().size());
            for (int i : e.getValue()) {
                some.add(assignments.get(i));
            }
            List<Long> where = assignOn(shards.shard(e.getKey()), some, candidates);
            for (int k = 0; k < where.size(); k++) {
                pids[e.getValue().get(k)] = where.get(k);
            }
        }
        return Arrays.asList(pids);
    }

    /** @return the workers per shard that jobs for any worker may go to: the candidates', else the fleet's live ones */
    private long[] weights(FleetShards shards, Collection<Long> candidates) {
        if (candidates == null) {
            return access.liveWorkersPerShard();
        }
        long[] weights = new long[shards.count()];
        for (long pid : candidates) {
            weights[shards.of(pid).keys().shard()]++;
        }
        return weights;
    }

    private List<Long> assignOn(Fleet fleet, List<Assignment> assignments, Collection<Long> candidates) {
        List<Placement> placements = new ArrayList<>(assignments.size());
        List<Fleet.Scheduled> later = new ArrayList<>();
        // One text per pid: jobs of a call go to a few workers, and equal texts compare at once.
        Map<Long, String> pidTexts = new HashMap<>();
        for (Assignment a : assignments) {
            if (a.delayed()) {
                later.add(new Fleet.Scheduled(a.payload(), a.delay()));
                continue;
            }
            placements.add(switch (a.target()) {
                case EXACT -> {
                    String pid = pidTexts.computeIfAbsent(a.pid(), p -> Long.toString(p));
                    yield new Placement(a.payload(), a.jobType(), pid, pid);
                }
                case OPEN -> new Placement(a.payload(), a.jobType(), Placement.OPEN,
                        pidTexts.computeIfAbsent(a.pid(), p -> Long.toString(p)));
                case OPEN_OR_BACKLOG -> new Placement(a.payload(), a.jobType(), Placement.OPEN, Placement.BACKLOG);
            });
        }
        Iterator<Fleet.Placed> placed = (placements.isEmpty() ? List.<Fleet.Placed>of()
                : fleet.place(placements, candidates, Limits.backlogWait())).iterator();
        if (!later.isEmpty()) {
            fleet.schedule(later);
        }
        List<Long> pids = new ArrayList<>(assignments.size());
        for (Assignment a : assignments) {
            Fleet.Placed p = a.delayed() ? null : placed.next();
            if (p != null && p.joined() != null) {
                access.joined(a.payload().id(), p.joined());
            }
            pids.add(p == null ? 0L : p.pid());
        }
        return pids;
    }

    @Override
    public List<Load> loads(List<Long> pids) {
        FleetShards shards = access.shards();
        Map<Fleet, List<Long>> byShard = new LinkedHashMap<>();
        pids.forEach(pid -> byShard.computeIfAbsent(shards.of(pid), f -> new ArrayList<>()).add(pid));
        Map<Long, Fleet.WorkerLoad> read = new HashMap<>();
        byShard.forEach((fleet, some) -> fleet.loads(some).forEach(l -> read.put(l.pid(), l)));
        List<Load> loads = new ArrayList<>(pids.size());
        for (Fleet.WorkerLoad l : pids.stream().map(read::get).toList()) {
            boolean usable = l.takesJobs();
            long queued = l.pending() + l.inFlight();
            boolean idle = l.record().flatMap(WorkerRecord::state).orElse(null) == WorkerState.IDLE;
            loads.add(new Load(l.pid(), queued, usable && queued == 0 && idle,
                    l.record().map(WorkerRecord::types).orElse(Set.of()), usable));
        }
        return loads;
    }

    @Override
    public boolean cancel(String jobId) {
        return holding(jobId).cancel(jobId, "manager " + context.managerId()) == Fleet.Cancel.REMOVED;
    }

    @Override
    public Progress progress(String jobId) {
        return holding(jobId).job(jobId)
                .map(r -> new Progress(r.pid() > 0 && !r.ended() && !r.state().equals("queued") ? r.pid() : null, r.progress()))
                .orElse(new Progress(null, 0));
    }

    /** @return the shard that holds a job (asking each in turn), shard 0 when none does */
    private Fleet holding(String jobId) {
        FleetShards shards = access.shards();
        return shards.count() == 1 ? shards.base() : shards.holding(jobId).orElse(shards.base());
    }

    /**
     * Stops every JVM this backend spawned: SIGTERM to all first, then waits for each, so they
     * shut down in parallel.
     */
    @Override
    public void close() {
        closed = true;
        spawned.forEach(ThreadedWorker::requestStop);
        spawned.forEach(ThreadedWorker::awaitExit);
    }
}
