package io.parametric.manager;

import io.parametric.manager.Placer.Planned;
import io.parametric.manager.ProcessBackend.Load;
import io.parametric.manager.ProcessBackend.Target;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides where jobs go, from one read of the workers' loads: {@code assignOpen},
 * {@code distribute} and {@code submit} each become a plan for the {@link Placer}. The rules
 * themselves are the {@link Balancer}'s.
 */
final class Planner {

    private final Membership membership;
    private final Backends backends;
    /** The members of the last call, kept while the membership hands out the same list. */
    private volatile Members last = Members.of(List.of());

    Planner(Membership membership, Backends backends) {
        this.membership = membership;
        this.backends = backends;
    }

    /**
     * The workers and their backends, read once per call.
     *
     * @param workers the workers, ascending pids
     * @param distinct their backends, each once
     * @param byPid each worker's backend, by pid: a plan looks one up per job
     */
    record Members(List<Worker<?>> workers, List<Binding> distinct, Map<Long, Binding> byPid) {
        static Members of(List<Worker<?>> workers) {
            Map<Long, Binding> byPid = new HashMap<>();
            for (Worker<?> w : workers) {
                byPid.put(w.pid(), w.binding());
            }
            return new Members(workers, workers.stream().map(Worker::binding).distinct().toList(), byPid);
        }

        Binding bindingOf(long pid) {
            Binding b = byPid.get(pid);
            return b != null ? b : Membership.find(workers, pid).binding();
        }

        /** @return the backends in use, without those released by a close */
        List<Binding> bindings() {
            List<Binding> inUse = new ArrayList<>(distinct.size());
            for (Binding b : distinct) {
                if (!b.released()) {
                    inUse.add(b);
                }
            }
            return inUse;
        }

        List<Long> releasedPids() {
            return workers.stream().filter(w -> w.binding().released()).map(Worker::pid).toList();
        }

        Members only(List<Long> pids) {
            pids.forEach(pid -> Membership.find(workers, pid));
            return of(workers.stream().filter(w -> pids.contains(w.pid())).toList());
        }

        List<Long> pidsIn(Binding b) {
            return workers.stream().filter(w -> w.binding() == b).map(Worker::pid).toList();
        }
    }

    /** @return the members placement goes by (see {@link Membership#cached()}) */
    Members members() {
        List<Worker<?>> workers = membership.cached();
        Members m = last;
        if (m.workers() != workers) {
            m = Members.of(workers);
            last = m;
        }
        return m;
    }

    /**
     * @param pids some workers
     * @return the members with those pids
     * @throws ProcessError NO_SUCH_WORKER for a pid that is not a member, even after a re-read
     */
    Members members(List<Long> pids) {
        pids.forEach(membership::member);
        return members().only(pids);
    }

    /** Each job to an open worker, else the least loaded (assign-open). */
    List<Planned> openFirst(Members m, List<ProcessJob> jobs) {
        List<Balancer.Choice> choices = new Balancer(loads(m)).openFirst(types(jobs));
        List<Planned> plan = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            long pid = choices.get(i).pid();
            plan.add(new Planned(m.bindingOf(pid), jobs.get(i), Target.OPEN, pid, Object.class));
        }
        return plan;
    }

    /** Each job to the worker with the fewest queued jobs (distribute). */
    List<Planned> evenly(Members m, List<ProcessJob> jobs, boolean openOnly) {
        List<Long> targets = new Balancer(loads(m)).evenly(types(jobs), openOnly);
        List<Planned> plan = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            long pid = targets.get(i);
            plan.add(new Planned(m.bindingOf(pid), jobs.get(i), Target.EXACT, pid, Object.class));
        }
        return plan;
    }

    /** One job on one worker, behind its queue. */
    Planned exact(Worker<?> w, ProcessJob job) {
        return new Planned(w.binding(), job, Target.EXACT, w.pid(), Object.class);
    }

    /**
     * Submit: each job to the first open worker, else to a backlog. With one backend in use and
     * no registered types, no load is read at all.
     *
     * @param jobs the jobs
     * @param returnTypes what each future converts its return to
     * @return the plan
     * @throws ProcessError UNKNOWN_JOB_TYPE when no worker lists a job's type, NO_SUCH_WORKER when none takes jobs
     */
    List<Planned> submit(List<ProcessJob> jobs, List<Type> returnTypes) {
        Members m = members();
        Binding fleet = backends.redisBinding();
        boolean typed = false;
        for (ProcessJob j : jobs) {
            typed |= !j.jobType().isEmpty();
        }
        List<Planned> plan = new ArrayList<>(jobs.size());
        if (m.workers().isEmpty() && !typed && fleet != null) {
            // No worker yet: the backlog waits for the first one that registers (a scaled-up container).
            for (int i = 0; i < jobs.size(); i++) {
                plan.add(new Planned(fleet, jobs.get(i), Target.OPEN_OR_BACKLOG, 0, returnTypes.get(i)));
            }
            return plan;
        }
        List<Binding> inUse = m.bindings();
        Balancer all = inUse.size() == 1 && !typed ? null : new Balancer(loads(m));
        Map<Binding, Balancer> each = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            String type = jobs.get(i).jobType();
            if (all != null && !all.anyListing(type)) {
                throw all.noneFor(type);
            }
            Binding target = inUse.size() == 1 ? inUse.get(0) : inUse.stream()
                    .filter(b -> each.computeIfAbsent(b, k -> new Balancer(loadsOf(m, k))).anyOpen(type)).findFirst()
                    .orElseGet(() -> inUse.stream().filter(b -> b.backend().usesRedis()).findFirst().orElse(inUse.get(0)));
            plan.add(new Planned(target, jobs.get(i), Target.OPEN_OR_BACKLOG, 0, returnTypes.get(i)));
        }
        return plan;
    }

    /** One read of the loads of the given members: one round trip per backend in use. */
    private static List<Load> loads(Members m) {
        if (m.workers().isEmpty()) {
            throw new ProcessError(Reason.NO_SUCH_WORKER,
                    "this manager has no workers; nothing was placed — add some with addWorkers(n)");
        }
        List<Load> loads = new ArrayList<>();
        for (Binding b : m.bindings()) {
            loads.addAll(loadsOf(m, b));
        }
        for (long pid : m.releasedPids()) {
            loads.add(new Load(pid, 0, false, Set.of(), false));
        }
        return loads;
    }

    private static List<Load> loadsOf(Members m, Binding b) {
        return b.backend().loads(m.pidsIn(b));
    }

    private static List<String> types(List<ProcessJob> jobs) {
        return jobs.stream().map(ProcessJob::jobType).toList();
    }
}
