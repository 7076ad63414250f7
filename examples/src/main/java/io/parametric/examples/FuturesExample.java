package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * What the seed has no word for: a future per job with its progress, cancelling, re-attaching to a
 * job by id, timeouts, retries with backoff, delays and the dead-letter list.
 */
public final class FuturesExample {

    private FuturesExample() {}

    /**
     * Runs each part and prints what it saw.
     *
     * @param args ignored
     * @throws Exception when a wait is interrupted or times out
     */
    public static void main(String[] args) throws Exception {
        try (ProcessManager procs = processes(2)) {
            System.out.println("future: " + future(procs));
            System.out.println("progress: " + progress(procs));
            System.out.println("cancelled: " + cancel(procs));
            System.out.println("timeout: " + timeout(procs).reason());
            System.out.println("retried: " + retries(procs));
            System.out.println("delayed: " + delay(procs));
            System.out.println("dead letters: " + deadLetters(procs));
        }
    }

    /**
     * A job's future, and the same job found again by its id.
     *
     * @param procs the manager
     * @return the return, read twice: through the future and through {@code job(id)}
     * @throws Exception when the wait fails
     */
    public static List<Object> future(ProcessManager procs) throws Exception {
        JobFuture<Object> future = procs.submit(newJob(() -> 6 * 7));
        String id = future.jobId();
        Object answer = future.get(30, TimeUnit.SECONDS);
        JobFuture<Object> again = procs.job(id);
        return List.of(answer, again.join());
    }

    /**
     * A job that reports how far it got; the manager reads it while the job runs.
     *
     * @param procs the manager
     * @return the progress seen while it ran (0.5), then after it returned (1.0)
     */
    public static List<Double> progress(ProcessManager procs) {
        JobFuture<Object> halfway = procs.submit(newJob(() -> {
            JobContext.current().progress(0.5);
            Thread.sleep(2000);
            return "done";
        }));
        double seen = awaitProgress(halfway);
        halfway.join();
        return List.of(seen, halfway.progress());
    }

    private static double awaitProgress(JobFuture<Object> future) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (future.progress() == 0 && !future.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return future.progress();
    }

    /**
     * Cancels a running job: the worker interrupts it and the future completes as cancelled.
     *
     * @param procs the manager
     * @return true: the future is cancelled
     */
    public static boolean cancel(ProcessManager procs) {
        JobFuture<Object> slow = procs.submit(newJob(() -> {
            Thread.sleep(60_000);
            return "too late";
        }));
        slow.cancel(true);
        return slow.isCancelled();
    }

    /**
     * A job that runs past its timeout is interrupted and fails with JOB_TIMEOUT.
     *
     * @param procs the manager
     * @return the error
     */
    public static ProcessError timeout(ProcessManager procs) {
        JobFuture<Object> late = procs.submit(newJob(() -> {
            Thread.sleep(60_000);
            return "too late";
        }).withTimeout(Duration.ofMillis(500)));
        try {
            late.join();
            throw new AssertionError("the job returned although it ran past its timeout");
        } catch (CompletionException e) {
            return (ProcessError) e.getCause();
        }
    }

    /**
     * A job that throws twice, then succeeds: retried after 1 s, then 2 s (doubling each time).
     *
     * @param procs the manager
     * @return the run that returned: 3
     */
    public static Object retries(ProcessManager procs) {
        JobFuture<Object> flaky = procs.submit(newJob(() -> {
            long run = JobContext.current().increment("flaky-runs", 1);
            if (run < 3) {
                throw new IllegalStateException("not yet");
            }
            return run;
        }).withRetries(2));
        return flaky.join();
    }

    /**
     * A job placed now that becomes runnable later.
     *
     * @param procs the manager
     * @return its return, "later", one second (Redis time) after it was placed
     */
    public static Object delay(ProcessManager procs) {
        JobFuture<Object> later = procs.submit(newJob(() -> "later").withDelay(Duration.ofSeconds(1)));
        return later.join();
    }

    /**
     * The fleet's dead-letter list: jobs whose deliveries all ended without an outcome (each one
     * killed or hung its worker) and entries that were not jobs.
     *
     * @param procs the manager
     * @return the entries it held, how many were requeued, how many were left and purged
     */
    public static List<Integer> deadLetters(ProcessManager procs) {
        List<String> dead = procs.deadLetters();
        int requeued = procs.requeueDeadLetters();
        int purged = procs.purgeDeadLetters();
        return List.of(dead.size(), requeued, purged);
    }
}
