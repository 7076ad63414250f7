package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessManager;
import java.util.List;

/**
 * The seed's {@code get_return!}: after a job finished, its worker keeps its return, and the
 * manager reads it without waiting and without clearing it.
 */
public final class GetReturnExample {

    private GetReturnExample() {}

    /**
     * What the manager read back.
     *
     * @param waited what {@code waitFor} returned
     * @param untyped {@code getReturn(pid)}
     * @param again {@code getReturn(pid)} a second time (it never clears)
     * @param typed {@code getReturn(pid, Integer.class)}
     * @param fromWorker {@code get(pid).ret()}
     */
    public record Returns(List<Object> waited, List<Object> untyped, List<Object> again, Integer typed, Object fromWorker) {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(2)) {
            System.out.println(readReturns(procs));
        }
    }

    /**
     * Assigns a job returning {@code 6 * 7} to the first worker, waits, then reads its return.
     *
     * @param procs the manager
     * @return the return, read in each way
     */
    public static Returns readReturns(ProcessManager procs) {
        long pid = procs.workerPids().get(0);
        procs.assign(pid, newJob(() -> 6 * 7));
        List<Object> waited = procs.waitFor(pid);

        List<Object> ret = procs.getReturn(pid);
        List<Object> again = procs.getReturn(pid);
        Integer typed = procs.getReturn(pid, Integer.class);

        return new Returns(waited, ret, again, typed, procs.get(pid).ret());
    }
}
