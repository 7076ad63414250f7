package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "jobs" section: every way to make a {@code ProcessJob}, and the seed's five jobs made
 * from a function and its arguments.
 *
 * <pre>{@code
 * job = new_job() do
 * end
 *
 * function example(x::Int64, y::String)
 *     y * string(x)
 * end
 *
 * jobs = [new_job(example, e, "job #$e") for e in 1:5]
 * }</pre>
 */
public final class NewJobExample {

    private NewJobExample() {}

    /**
     * The seed's {@code example(x, y)}: {@code y * string(x)} is string concatenation in Julia.
     *
     * @param x a number
     * @param y a text
     * @return {@code y} followed by {@code x}, e.g. {@code example(5, "job #5")} is {@code "job #55"}
     */
    public static String example(int x, String y) {
        return y + x;
    }

    /**
     * Runs the five jobs of the seed and prints what each returned.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(4)) {
            System.out.println("the five example jobs returned " + runFiveJobs(procs));
            System.out.println("the other forms returned " + runEveryForm(procs));
        }
    }

    /**
     * The seed's {@code [new_job(example, e, "job #$e") for e in 1:5]}.
     *
     * @return five jobs, each calling {@link #example} with its arguments on a worker
     */
    public static List<ProcessJob> fiveJobs() {
        List<ProcessJob> jobs = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            jobs.add(newJob(NewJobExample::example, e, "job #" + e));
        }
        return jobs;
    }

    /**
     * Submits the five jobs and collects their returns, in job order.
     *
     * @param procs the manager
     * @return {@code ["job #11", "job #22", "job #33", "job #44", "job #55"]}
     */
    public static List<Object> runFiveJobs(ProcessManager procs) {
        List<JobFuture<Object>> futures = fiveJobs().stream().map(procs::submit).toList();
        return futures.stream().map(JobFuture::join).toList();
    }

    /**
     * Makes one job of every form {@code newJob} takes, runs each and collects the returns.
     *
     * @param procs the manager
     * @return the returns, in this order: the empty job (null), a value-returning lambda (55), a
     *     registered job type ("cat.png@640") and a record ("cat.png at 320px")
     */
    public static List<Object> runEveryForm(ProcessManager procs) {
        ProcessJob empty = newJob(() -> {});
        ProcessJob value = newJob(() -> {
            Thread.sleep(100);
            return 55;
        });
        ProcessJob byTypeName = newJob("resize", "cat.png", 640);
        ProcessJob fromRecord = newJob(new Thumbnail("cat.png", 320));

        List<JobFuture<Object>> futures = List.of(empty, value, byTypeName, fromRecord).stream()
                .map(procs::submit)
                .toList();
        return futures.stream().map(JobFuture::join).toList();
    }
}
