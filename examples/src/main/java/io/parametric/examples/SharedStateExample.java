package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.JobContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The seed's "workers" example: jobs that call application code ({@link SampleMod}) and a shared
 * value {@code x}, put by the manager and incremented by twenty jobs.
 *
 * <pre>{@code
 * procs = processes(4)
 * @everywhere using SampleMod
 * job = new_job() do
 *     SampleMod.do_thing()
 * end
 * x = 5
 * put!(pm, x)
 * second_job = new_job() do
 *     x += 1
 * end
 * distribute!(procs, (job for w in 1:3) ..., (second_job for v in 1:20) ...)
 * }</pre>
 *
 * <p>In Julia each worker would bump its own copy of {@code x}; here {@code x} is one fleet-wide
 * value and {@code increment} is atomic, so after the twenty jobs it is 25.
 */
public final class SharedStateExample {

    private SharedStateExample() {}

    /**
     * Runs the example and prints the final {@code x}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(4)) {
            System.out.println("x = " + incrementSharedX(procs));
        }
    }

    /**
     * Puts {@code x = 5}, distributes three {@code SampleMod} jobs and twenty {@code x += 1} jobs,
     * waits for all of them and reads {@code x} back.
     *
     * @param procs the manager
     * @return the shared {@code x} after the jobs: 25
     */
    public static long incrementSharedX(ProcessManager procs) {
        ProcessJob job = newJob(() -> SampleMod.doThing());

        procs.put("x", 5);

        ProcessJob secondJob = newJob(() -> JobContext.current().increment("x", 1));

        List<ProcessJob> jobs = new ArrayList<>(Collections.nCopies(3, job));
        jobs.addAll(Collections.nCopies(20, secondJob));
        procs.distribute(jobs);

        procs.waitFor();
        return procs.fetch("x", Long.class);
    }
}
