package io.parametric.manager;

import io.parametric.manager.ProcessBackend.Assignment;
import io.parametric.manager.ProcessBackend.Target;
import io.parametric.manager.internal.Logs;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Places planned jobs: makes and arms their futures first (so no outcome is missed), then gives
 * each backend in use its jobs — delayed ones included — in one {@link ProcessBackend#assign}
 * call, and records where each went.
 */
final class Placer {

    private static final Logger LOG = Logs.get(Placer.class);

    private final Membership membership;
    private final JobTracker tracker;
    private final JobHandles handles;

    Placer(Membership membership, JobTracker tracker, JobHandles handles) {
        this.membership = membership;
        this.tracker = tracker;
        this.handles = handles;
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
            JobFuture<?> f = handles.newFuture(UUID.randomUUID().toString(), p.returnType());
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
    List<Long> send(List<Planned> plan, List<JobFuture<?>> futures) {
        Map<Binding, List<Integer>> byBinding = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            byBinding.computeIfAbsent(plan.get(i).binding(), b -> new ArrayList<>()).add(i);
        }
        Long[] pids = new Long[plan.size()];
        try {
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
        } catch (RuntimeException e) {
            for (int i = 0; i < plan.size(); i++) {
                if (pids[i] == null) {
                    tracker.disarm(futures.get(i));
                    futures.get(i).completeExceptionally(e);
                }
            }
            throw e;
        }
        for (int i = 0; i < plan.size(); i++) {
            futures.get(i).placed();
            if (pids[i] > 0) {
                tracker.placed(pids[i], futures.get(i));
            }
        }
        return Arrays.asList(pids);
    }
}
