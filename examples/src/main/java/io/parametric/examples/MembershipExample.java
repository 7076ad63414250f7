package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.createWorkers;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessManager;
import io.parametric.manager.Worker;
import io.parametric.shared.Threaded;
import java.util.List;

/**
 * The seed's membership examples: closing one worker, adding workers, deleting one, creating a
 * worker on its own and pushing it into a manager, and reading the pids.
 *
 * <pre>{@code
 * procs::ProcessManager = processes(4)
 * close(procs[2])
 * close(procs)
 * add_workers!(procs, 2)
 * delete!(procs, 3)
 * push!(procs, create_workers(1, Threaded)[1])
 * worker_pids(procs)
 * }</pre>
 *
 * <p>In Java a closed manager is not used again, so {@code close(procs)} comes last, as the end
 * of the try-with-resources block.
 */
public final class MembershipExample {

    private MembershipExample() {}

    /**
     * What {@code workerPids()} said after each step.
     *
     * @param started after {@code processes(4)}
     * @param afterClose after closing the second worker (it stays listed)
     * @param secondIsClosed {@code isClosed()} of the closed worker
     * @param afterAddWorkers after {@code addWorkers(2)}
     * @param afterDelete after deleting the third worker (it is gone)
     * @param pushed the worker made by {@code createWorkers} and pushed
     * @param afterPush after the push
     */
    public record Steps(
            List<Long> started,
            List<Long> afterClose,
            boolean secondIsClosed,
            List<Long> afterAddWorkers,
            List<Long> afterDelete,
            Worker<?> pushed,
            List<Long> afterPush) {}

    /**
     * Runs the example and prints the pids after each step.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(4)) {
            Steps steps = changeMembership(procs);
            System.out.println("processes(4)          -> " + steps.started());
            System.out.println("close(second)         -> " + steps.afterClose() + " (closed: " + steps.secondIsClosed() + ")");
            System.out.println("addWorkers(2)         -> " + steps.afterAddWorkers());
            System.out.println("delete(third)         -> " + steps.afterDelete());
            System.out.println("push(" + steps.pushed() + ") -> " + steps.afterPush());
        }
    }

    /**
     * Closes, adds, deletes and pushes workers on a manager that starts with four.
     *
     * @param procs a manager with four workers
     * @return the pids after each step
     */
    public static Steps changeMembership(ProcessManager procs) {
        List<Long> started = procs.workerPids();

        long second = started.get(1);
        procs.close(second);
        List<Long> afterClose = procs.workerPids();
        boolean secondIsClosed = procs.get(second).isClosed();

        procs.addWorkers(2);
        List<Long> afterAddWorkers = procs.workerPids();

        long third = started.get(2);
        procs.delete(third);
        List<Long> afterDelete = procs.workerPids();

        List<Worker<?>> created = createWorkers(1, Threaded.class);
        procs.push(created.get(0));
        List<Long> afterPush = procs.workerPids();

        return new Steps(started, afterClose, secondIsClosed, afterAddWorkers, afterDelete, created.get(0), afterPush);
    }
}
