package io.parametric.manager;

import io.parametric.manager.ProcessBackend.Assignment;
import io.parametric.manager.ProcessBackend.Target;
import io.parametric.manager.internal.Logs;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobIds;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Places planned jobs: makes and arms their futures first (so no outcome is missed), then gives
 * each backend in use its jobs — delayed ones included — in one {@link ProcessBackend#assign}
 * call, and records where each went. A placement waits for the submits queued before it
 * ({@link SubmitQueue}), so one thread's placements reach the fleet in its order.
 */
final class Placer {

    /** Gives each placement its short id. */
    private final JobIds ids;
    /** Keyed placements that joined the job of their key, by the id they were given; see {@link #joined}. */
    private final Map<String, String> joins = new java.util.concurrent.ConcurrentHashMap<>();

    private static final Logger LOG = Logs.get(Placer.class);

    private final Membership membership;
    private final JobTracker tracker;
    private final JobHandles handles;
    private final Runnable earlierSubmits;

    /**
     * @param membership where candidates come from
     * @param tracker the manager's jobs
     * @param handles makes futures
     * @param ids gives each placement its short id
     * @param earlierSubmits waits until the submits queued before it are placed, so the
     *     placements of one thread reach the fleet in the order it made them
     */
    Placer(Membership membership, JobTracker tracker, JobHandles handles, JobIds ids, Runnable earlierSubmits) {
        this.ids = ids;
        this.membership = membership;
        this.tracker = tracker;
        this.handles = handles;
        this.earlierSubmits = earlierSubmits;
    }

    /**
     * A job to place.
     *
     * @param binding the backend it goes through
     * @param job the job
     * @param target how the backend chooses its worker
     * @param pid the worker for EXACT, the fallback for OPEN, else 0
     * @param returnType what its future converts the return to
     */
    record Planned(Binding binding, ProcessJob job, Target target, long pid, Type returnType) {}

    /**
     * What a placement did.
     *
     * @param futures one per planned job, in order
     * @param pids where each went: a pid, or 0 for a backlog or a delay
     */
    record Placed(List<JobFuture<?>> futures, List<Long> pids) {}

    /**
     * Makes, binds and arms the futures of planned jobs.
     *
     * @param plan the jobs
     * @return one future per job, in order
     */
    List<JobFuture<?>> arm(List<Planned> plan) {
        List<JobFuture<?>> futures = new ArrayList<>(plan.size());
        for (Planned p : plan) {
            JobFuture<?> f = handles.newFuture(ids.next(), p.returnType());
            f.bind(p.binding());
            futures.add(f);
        }
        tracker.arm(futures);
        return futures;
    }

    /**
     * Places a plan made from the membership. When the fleet answers NO_SUCH_WORKER (a worker the
     * plan names has left) and the membership, re-read, has changed, it plans once more and places
     * that. A plan larger than one script call ({@value Fleet#CHUNK} jobs) is not placed again:
     * its first calls may have placed jobs.
     *
     * @param planner makes the plan from the membership as it is now
     * @return the futures and where the jobs went
     * @throws ProcessError as {@link #send}
     */
    Placed placeFresh(Supplier<List<Planned>> planner) {
        List<Planned> plan = planner.get();
        try {
            return place(plan);
        } catch (ProcessError e) {
            if (e.reason() != Reason.NO_SUCH_WORKER || plan.size() > Fleet.CHUNK || !membership.refresh()) {
                throw e;
            }
            return place(planner.get());
        }
    }

    /**
     * @param plan the jobs
     * @return their futures and where they went
     * @throws io.parametric.shared.ProcessError from a backend, as {@link #send}
     */
    Placed place(List<Planned> plan) {
        earlierSubmits.run();
        List<JobFuture<?>> futures = arm(plan);
        return new Placed(futures, send(plan, futures));
    }

    /**
     * Gives each backend in use its jobs in one call, and records where each went.
     *
     * @param plan the jobs
     * @param futures their armed futures
     * @return where each went: a pid, or 0 for a backlog or a delay
     * @throws RuntimeException from a backend; the jobs of that backend and those after it were
     *     not placed: their futures are disarmed and fail with it
     */
    private List<Long> send(List<Planned> plan, List<JobFuture<?>> futures) {
        Long[] pids = new Long[plan.size()];
        try {
            assign(plan, futures, pids);
        } catch (RuntimeException e) {
            fail(futures, pids, e);
            throw e;
        }
        settle(futures, pids);
        return Arrays.asList(pids);
    }

    /**
     * As {@link #send}, for a batch of independent jobs (coalesced submits): when a backend
     * refuses its part for the sake of one job — BAD_PAYLOAD, NO_SUCH_WORKER, UNKNOWN_JOB_TYPE, or
     * QUEUE_FULL when the part would not fit in the backlog but some of its jobs would — refusals
     * that place nothing — each job of that part is sent again alone, so only the job at
     * fault fails, with its own error. Any other failure (Redis away) fails every job not placed.
     *
     * @param plan the jobs
     * @param futures their armed futures; each is placed or completed exceptionally on return
     */
    void sendIsolating(List<Planned> plan, List<JobFuture<?>> futures) {
        Long[] pids = new Long[plan.size()];
        try {
            assign(plan, futures, pids);
        } catch (RuntimeException e) {
            if (plan.size() == 1 || !(e instanceof ProcessError p) || !REFUSALS.contains(p.reason())) {
                fail(futures, pids, e);
                return;
            }
            settle(futures, pids);
            for (int i = 0; i < plan.size(); i++) {
                if (pids[i] == null) {
                    try {
                        send(List.of(plan.get(i)), List.of(futures.get(i)));
                    } catch (RuntimeException alone) {
                        LOG.debug("job {} was not placed: {}", futures.get(i).jobId(), alone.getMessage());
                    }
                }
            }
            return;
        }
        settle(futures, pids);
    }

    /** A backend's refusals that place none of its jobs and may concern one job only. */
    private static final java.util.Set<Reason> REFUSALS = java.util.EnumSet.of(Reason.BAD_PAYLOAD, Reason.NO_SUCH_WORKER,
            Reason.UNKNOWN_JOB_TYPE, Reason.QUEUE_FULL);

    /** Gives each backend its jobs, filling in where each went; stops at the first backend that throws. */
    private void assign(List<Planned> plan, List<JobFuture<?>> futures, Long[] pids) {
        Map<Binding, List<Integer>> byBinding = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            byBinding.computeIfAbsent(plan.get(i).binding(), b -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Binding, List<Integer>> e : byBinding.entrySet()) {
            Binding b = e.getKey();
            List<Assignment> assignments = new ArrayList<>(e.getValue().size());
            for (int i : e.getValue()) {
                Planned p = plan.get(i);
                assignments.add(new Assignment(p.job().payload().placed(futures.get(i).jobId(), b.managerId()),
                        p.job().jobType(), p.target(), p.pid(), p.job().delay()));
            }
            List<Long> where = b.backend().assign(assignments, membership.candidates(b));
            LOG.debug("placed {} job(s) on {} workers: {}", assignments.size(), b.kind().getSimpleName(), where);
            for (int k = 0; k < where.size(); k++) {
                pids[e.getValue().get(k)] = where.get(k);
            }
        }
    }

    /** Disarms and fails the futures of the jobs not placed. */
    private void fail(List<JobFuture<?>> futures, Long[] pids, RuntimeException e) {
        for (int i = 0; i < futures.size(); i++) {
            if (pids[i] == null) {
                tracker.disarm(futures.get(i));
                futures.get(i).completeExceptionally(e);
            }
        }
    }

    /** Records where the placed jobs went. */
    private void settle(List<JobFuture<?>> futures, Long[] pids) {
        for (int i = 0; i < futures.size(); i++) {
            String joined = pids[i] == null ? null : joins.remove(futures.get(i).jobId());
            if (joined != null) {
                // Its future is the joined job's: the one it was given never existed in the fleet.
                tracker.disarm(futures.get(i));
                futures.set(i, handles.job(joined));
            } else if (pids[i] != null) {
                futures.get(i).placed();
                if (pids[i] > 0) {
                    tracker.placed(pids[i], futures.get(i));
                }
            }
        }
    }

    /**
     * Records that a keyed placement joined the queued or running job of its key; {@link #send}
     * then returns that job's future in its place.
     *
     * @param placedJobId the id the placement was given
     * @param joinedJobId the job it joined
     */
    void joined(String placedJobId, String joinedJobId) {
        joins.put(placedJobId, joinedJobId);
    }
}
