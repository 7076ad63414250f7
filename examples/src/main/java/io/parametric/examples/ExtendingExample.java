package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.JobContext;
import java.util.List;

/**
 * The seed's "extending" section: a new kind of process. The seed's
 * {@code abstract type CUDA <: ParametricProcesses.Process end} plus its five essential functions
 * is, in Java, a {@link io.parametric.shared.ProcessKind} class ({@link Inline}) plus a
 * {@link io.parametric.manager.ProcessBackend} ({@link InlineBackend}) listed in
 * {@code META-INF/services/io.parametric.manager.ProcessBackend}. After that the whole API works
 * with the new kind.
 */
public final class ExtendingExample {

    private ExtendingExample() {}

    /**
     * What the Inline fleet did.
     *
     * @param pids the Inline workers' pids
     * @param shown how the first worker shows itself
     * @param threads the thread each worker's last job ran on
     * @param x the shared {@code x} after three increments from 5
     */
    public record Result(List<Long> pids, String shown, List<Object> threads, long x) {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(2, Inline.class)) {
            System.out.println(useInlineWorkers(procs));
        }
    }

    /**
     * Distributes jobs to Inline workers, waits for them and uses a shared value.
     *
     * @param procs a manager with Inline workers
     * @return what happened
     */
    public static Result useInlineWorkers(ProcessManager procs) {
        ProcessJob whichThread = newJob(() -> Thread.currentThread().getName());
        procs.distribute(whichThread, whichThread);
        List<Object> threads = procs.waitFor();

        procs.put("x", 5);
        ProcessJob increment = newJob(() -> JobContext.current().increment("x", 1));
        procs.distribute(increment, increment, increment);

        List<Long> pids = procs.workerPids(Inline.class);
        return new Result(pids, procs.get(pids.get(0)).toString(), threads, procs.fetch("x", Long.class));
    }
}
