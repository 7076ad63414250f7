package io.parametric.manager;

import io.parametric.manager.ProcessBackend.Load;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Chooses workers from one read of their loads: pure functions, so the placement rules are
 * tested without Redis.
 */
final class Balancer {

    private final List<Load> loads;
    private final long[] counts;

    /** @param loads the workers' loads (any order; sorted by pid here) */
    Balancer(List<Load> loads) {
        this.loads = loads.stream().sorted(Comparator.comparingLong(Load::pid)).toList();
        this.counts = this.loads.stream().mapToLong(Load::queued).toArray();
    }

    /**
     * Distribute: each job to the worker with the fewest queued jobs, ties to the lowest pid.
     *
     * @param jobTypes each job's registered type, "" for none
     * @param openOnly true to use only workers open now (all when none is open)
     * @return a pid per job
     */
    List<Long> evenly(List<String> jobTypes, boolean openOnly) {
        List<Long> targets = new ArrayList<>(jobTypes.size());
        for (String type : jobTypes) {
            boolean anyOpen = openOnly && eligible(type).stream().anyMatch(i -> loads.get(i).open());
            int best = -1;
            for (int i : eligible(type)) {
                if (anyOpen && !loads.get(i).open()) {
                    continue;
                }
                if (best < 0 || counts[i] < counts[best]) {
                    best = i;
                }
            }
            counts[best]++;
            targets.add(loads.get(best).pid());
        }
        return targets;
    }

    /**
     * Assign-open: each job to an open worker (one job per open worker), else to the worker with
     * the fewest queued jobs, ties to the last worker.
     *
     * @param jobTypes each job's registered type
     * @return per job the chosen pid and whether it was open
     */
    List<Choice> openFirst(List<String> jobTypes) {
        List<Choice> choices = new ArrayList<>(jobTypes.size());
        boolean[] taken = new boolean[loads.size()];
        for (String type : jobTypes) {
            List<Integer> eligible = eligible(type);
            int chosen = -1;
            for (int i : eligible) {
                if (loads.get(i).open() && !taken[i]) {
                    chosen = i;
                    break;
                }
            }
            boolean open = chosen >= 0;
            if (!open) {
                for (int i : eligible) {
                    if (chosen < 0 || counts[i] <= counts[chosen]) {
                        chosen = i;
                    }
                }
            }
            taken[chosen] = true;
            counts[chosen]++;
            choices.add(new Choice(loads.get(chosen).pid(), open));
        }
        return choices;
    }

    /**
     * @param type a registered type, or ""
     * @return whether some usable worker lists it
     */
    boolean anyListing(String type) {
        return !eligibleOrEmpty(type).isEmpty();
    }

    /**
     * @param type a registered type, or ""
     * @return whether some usable worker listing it is open
     */
    boolean anyOpen(String type) {
        return eligibleOrEmpty(type).stream().anyMatch(i -> loads.get(i).open());
    }

    /**
     * @param pid a chosen worker
     * @param open whether it was open when read
     */
    record Choice(long pid, boolean open) {}

    private List<Integer> eligible(String type) {
        List<Integer> eligible = eligibleOrEmpty(type);
        if (eligible.isEmpty()) {
            throw noneFor(type);
        }
        return eligible;
    }

    private List<Integer> eligibleOrEmpty(String type) {
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < loads.size(); i++) {
            Load l = loads.get(i);
            if (l.usable() && (type.isEmpty() || l.jobTypes().contains(type))) {
                eligible.add(i);
            }
        }
        return eligible;
    }

    /**
     * @param type the job type no worker can take, or ""
     * @return the error naming it and what the workers have
     */
    ProcessError noneFor(String type) {
        String pids = loads.stream().filter(Load::usable).map(l -> Long.toString(l.pid())).collect(Collectors.joining(", ", "[", "]"));
        if (type.isEmpty()) {
            return new ProcessError(Reason.NO_SUCH_WORKER,
                    "this manager has no worker that takes jobs (usable pids: " + pids + "; closed workers take none); nothing was placed — add workers with addWorkers(n)");
        }
        String listed = loads.stream().filter(Load::usable)
                .map(l -> l.pid() + "=" + l.jobTypes())
                .collect(Collectors.joining(", ", "{", "}"));
        return new ProcessError(Reason.UNKNOWN_JOB_TYPE,
                "no worker of this manager lists job type '" + type + "' (workers and their types: " + listed
                        + "); nothing was placed — register '" + type + "' on the workers (JobRegistry.register or "
                        + "META-INF/services/io.parametric.shared.JobType) or fix the name");
    }
}
