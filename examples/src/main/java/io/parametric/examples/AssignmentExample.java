package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.JobContext;
import io.parametric.shared.Threaded;
import java.util.List;

/**
 * The seed's four assignment functions on four named workers: {@code assign!} (by pid or name),
 * {@code assign_open!}, {@code distribute!} and {@code distribute_open!}. Every job returns the
 * name of the worker it ran on and counts itself in the fleet-wide value {@code ran}.
 */
public final class AssignmentExample {

    private AssignmentExample() {}

    /**
     * Where each call put its jobs.
     *
     * @param assignedByName the pid {@code assign("east", job)} returned
     * @param ranOnByName what the job assigned by name returned: the name of its worker
     * @param assignedByPid the pid {@code assign(pid, job)} returned
     * @param assignOpen the pids {@code assignOpen} used
     * @param distribute the pids {@code distribute} used
     * @param distributeOpen the pids {@code distributeOpen} used
     * @param placed how many jobs were placed in all
     * @param ran how many jobs counted themselves as run
     */
    public record Placements(
            long assignedByName,
            Object ranOnByName,
            long assignedByPid,
            List<Long> assignOpen,
            List<Long> distribute,
            List<Long> distributeOpen,
            int placed,
            long ran) {}

    /**
     * Runs the example and prints where the jobs went.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(4, Threaded.class, "north", "east", "south", "west")) {
            System.out.println(placeEveryWay(procs));
        }
    }

    /**
     * Places jobs with each of the four assignment functions and waits for all of them.
     *
     * @param procs a manager whose workers include one named {@code east}
     * @return where the jobs went and how many ran
     */
    public static Placements placeEveryWay(ProcessManager procs) {
        ProcessJob whoAmI = newJob(() -> {
            JobContext.current().increment("ran", 1);
            return JobContext.current().workerName();
        });

        long east = procs.assign("east", whoAmI);
        Object ranOn = procs.waitFor(east).get(0);

        long first = procs.workerPids().get(0);
        long assignedByPid = procs.assign(first, whoAmI);

        List<Long> open = procs.assignOpen(whoAmI, whoAmI);
        List<Long> spread = procs.distribute(whoAmI, whoAmI, whoAmI, whoAmI, whoAmI, whoAmI, whoAmI, whoAmI);
        List<Long> spreadOpen = procs.distributeOpen(whoAmI, whoAmI);

        procs.waitFor();
        long ran = procs.fetch("ran", Long.class);
        return new Placements(east, ranOn, assignedByPid, open, spread, spreadOpen, 1 + 1 + 2 + 8 + 2, ran);
    }
}
