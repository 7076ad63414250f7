package io.parametric.manager.internal;

import io.parametric.manager.ProcessBackend;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Placement;
import io.parametric.shared.protocol.WorkerRecord;
import io.parametric.shared.protocol.WorkerState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(ThreadedBackend.class);

    private final List<ThreadedWorker> spawned = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

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

    @Override
    public List<WorkerHandle> createWorkers(Context context, int n, List<String> names) {
        Fleet fleet = fleet(context);
        String url = context.redisUrl().orElseThrow();
        List<WorkerHandle> made = new ArrayList<>();
        for (WorkerSpawner.Spawned s : WorkerSpawner.spawn(url, fleet.keys().fleet(), n, names)) {
            ThreadedWorker w = new ThreadedWorker(fleet, s.pid(), s.name(), s.process());
            spawned.add(w);
            made.add(w);
            replaceWhenDead(context, w);
        }
        return made;
    }

    private void replaceWhenDead(Context context, ThreadedWorker w) {
        w.exited().thenAcceptAsync(p -> {
            int status = p.exitValue();
            if (closed || w.stopRequested() || status == 0) {
                return;
            }
            Fleet fleet = fleet(context);
            try {
                Fleet.Rehomed r = fleet.rehome(w.pid(), true, "dead", "its process exited with status " + status);
                LOG.warn("spawned worker {} ({}) died with status {}: {} job(s) handed to the fleet, {} failed (pinned); starting a replacement",
                        w.pid(), w.name(), status, r.moved(), r.failed());
            } catch (RuntimeException e) {
                // Redis is away: the reapers hand its jobs on once Redis is back and its lease ran out.
                LOG.warn("spawned worker {} ({}) died with status {}; its jobs will be handed on by the reaper ({}); starting a replacement",
                        w.pid(), w.name(), status, e.getMessage());
            }
            long backoffMs = 1000;
            for (int attempt = 1; !closed; attempt++) {
                try {
                    WorkerSpawner.Spawned s = WorkerSpawner.spawn(context.redisUrl().orElseThrow(), fleet.keys().fleet(), 1, List.of()).get(0);
                    ThreadedWorker fresh = new ThreadedWorker(fleet, s.pid(), s.name(), s.process());
                    spawned.add(fresh);
                    if (closed) {
                        fresh.requestStop();
                        return;
                    }
                    replaceWhenDead(context, fresh);
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
        }, REPLACER);
    }

    /**
     * @param context the manager's side
     * @return the fleet's live workers, ascending pids (for managers made by {@code connect})
     */
    public List<WorkerHandle> liveWorkers(Context context) {
        Fleet fleet = fleet(context);
        List<WorkerHandle> live = new ArrayList<>();
        for (Fleet.WorkerLoad l : fleet.loads(fleet.livePids())) {
            ThreadedWorker mine = spawned.stream().filter(w -> w.pid() == l.pid()).findFirst().orElse(null);
            live.add(mine != null ? mine : new ThreadedWorker(fleet, l.pid(), l.record().map(WorkerRecord::name).orElse("?"), null));
        }
        return live;
    }

    /** How many times a replacement is tried (with backoff up to 10 s) before giving up. */
    private static final int REPLACE_ATTEMPTS = 30;

    private static final java.util.concurrent.ExecutorService REPLACER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pp-replace-worker");
        t.setDaemon(true);
        return t;
    });

    @Override
    public List<Long> assign(Context context, List<Assignment> assignments, Collection<Long> candidates) {
        List<Placement> placements = new ArrayList<>(assignments.size());
        for (Assignment a : assignments) {
            String id = a.payload().id();
            String json = Json.write(a.payload());
            placements.add(switch (a.target()) {
                case EXACT -> Placement.onWorker(id, json, a.jobType(), context.managerId(), a.pid());
                case OPEN -> new Placement(id, json, a.jobType(), context.managerId(), Placement.OPEN, Long.toString(a.pid()));
                case OPEN_OR_BACKLOG -> new Placement(id, json, a.jobType(), context.managerId(), Placement.OPEN, Placement.BACKLOG);
            });
        }
        return fleet(context).place(placements, candidates);
    }

    @Override
    public List<Load> loads(Context context, List<Long> pids) {
        List<Load> loads = new ArrayList<>(pids.size());
        for (Fleet.WorkerLoad l : fleet(context).loads(pids)) {
            boolean usable = l.takesJobs();
            long queued = l.pending() + l.inFlight();
            boolean idle = l.record().flatMap(WorkerRecord::state).orElse(null) == WorkerState.IDLE;
            loads.add(new Load(l.pid(), queued, usable && queued == 0 && idle,
                    l.record().map(WorkerRecord::types).orElse(Set.of()), usable));
        }
        return loads;
    }

    @Override
    public boolean cancel(Context context, String jobId) {
        return fleet(context).cancel(jobId, "manager " + context.managerId()) == Fleet.Cancel.REMOVED;
    }

    @Override
    public Progress progress(Context context, String jobId) {
        Map<String, String> job = fleet(context).jobInfo(jobId);
        String state = job.getOrDefault("state", "");
        String pid = job.get("pid");
        Long where = !state.equals("queued") && pid != null && !pid.isBlank() ? Long.valueOf(pid) : null;
        double fraction = 0;
        try {
            fraction = Double.parseDouble(job.getOrDefault("progress", "0"));
        } catch (NumberFormatException e) {
            fraction = 0;
        }
        return new Progress(where, fraction);
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

    private static Fleet fleet(Context context) {
        return context.fleet().orElseThrow(() -> new ProcessError(Reason.ILLEGAL_STATE,
                "Threaded workers need a Redis fleet, and this manager has none"));
    }
}
