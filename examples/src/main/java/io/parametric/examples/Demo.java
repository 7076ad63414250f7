package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.manager.Worker;
import io.parametric.shared.Async;
import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessError;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.ProgressBar;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo behind the README's first command,
 * {@code mvn -q -B package -DskipTests && java -jar examples/target/parametric-examples.jar}:
 * a fleet of four worker processes, thirty jobs distributed (with a progress bar while they run),
 * one job assigned and waited for,
 * a shared value incremented by twenty jobs, and a table of what each worker did. It says which
 * Redis it used; without any Redis it runs on {@code Async} workers and says so.
 */
public final class Demo {

    private static final int WORKERS = 4;

    private Demo() {}

    /**
     * Runs the demo; exits with status 1 when a configured Redis does not answer.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        RedisChoice redis = RedisChoice.find();
        System.out.println(redis.describe());
        try {
            run(redis);
        } catch (ProcessError e) {
            System.out.println("The demo stopped: " + e.reason() + ": " + e.getMessage());
            System.exit(1);
        }
        System.out.printf(Locale.ROOT, "Done in %.1f s.%n", seconds(start));
    }

    /**
     * Runs the demo on the kind of worker the Redis choice allows.
     *
     * @param redis which Redis there is
     * @return the per-worker results
     */
    public static Summary run(RedisChoice redis) {
        long start = System.nanoTime();
        Summary summary;
        try (ProcessManager procs = redis.hasRedis() ? processes(WORKERS) : processes(WORKERS, Async.class)) {
            String kind = redis.hasRedis() ? Threaded.class.getSimpleName() : Async.class.getSimpleName();
            System.out.printf(Locale.ROOT, "Fleet: %d %s workers ready in %.1f s, pids %s%n",
                    WORKERS, kind, seconds(start), procs.workerPids());
            summary = play(procs);
            System.out.printf(Locale.ROOT, "distribute: 30 jobs went to pids %s; %d of them ran (%.2f s%s)%n",
                    summary.distributedTo(), summary.distributedRan(), summary.distributeSeconds(),
                    redis.hasRedis() ? ", most of it each new worker JVM's first-job warm-up" : "");
            System.out.printf(Locale.ROOT, "assign + waitFor: pid %d returned %s (%.2f s, of which the job sleeps 0.20 s)%n",
                    summary.assignedTo(), summary.waited(), summary.assignSeconds());
            System.out.printf(Locale.ROOT, "shared state: put(\"x\", 5), then 20 jobs ran x += 1: x = %d (%.2f s)%n",
                    summary.x(), summary.sharedSeconds());
            System.out.println();
            System.out.print(table(summary.rows()));
            start = System.nanoTime();
        }
        System.out.printf(Locale.ROOT, "Closed the fleet in %.1f s.%n", seconds(start));
        return summary;
    }

    /**
     * What the demo did and saw.
     *
     * @param distributedTo pids that received the thirty jobs
     * @param distributedRan how many of the thirty ran
     * @param assignedTo the pid the single job was assigned to
     * @param waited what {@code waitFor} returned for it
     * @param x the shared value after the twenty increments
     * @param rows one row per worker
     * @param distributeSeconds from placing the thirty jobs until all had run
     * @param assignSeconds from {@code assign} until {@code waitFor} returned
     * @param sharedSeconds from {@code put} until the twenty increments had run
     */
    public record Summary(
            List<Long> distributedTo,
            long distributedRan,
            long assignedTo,
            Object waited,
            long x,
            List<Row> rows,
            double distributeSeconds,
            double assignSeconds,
            double sharedSeconds) {}

    /**
     * One worker's line in the table.
     *
     * @param pid the worker's pid
     * @param name its name
     * @param jobsRun how many of the demo's jobs it ran
     * @param latestReturn its latest return
     */
    public record Row(long pid, String name, long jobsRun, Object latestReturn) {}

    /**
     * The demo's jobs on a ready manager.
     *
     * @param procs the manager
     * @return what happened
     */
    public static Summary play(ProcessManager procs) {
        long start = System.nanoTime();
        List<ProcessJob> squares = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            squares.add(newJob(Demo::square, i));
        }
        long endedBefore = ended(procs);
        List<Long> distributedTo = procs.distribute(squares);
        waitShowingProgress(procs, endedBefore, squares.size());
        double distributeSeconds = seconds(start);

        start = System.nanoTime();
        long second = procs.workerPids().get(1);
        procs.assign(second, newJob(() -> {
            countThisJob();
            Thread.sleep(200);
            return 55;
        }));
        Object waited = procs.waitFor(second).get(0);
        double assignSeconds = seconds(start);

        start = System.nanoTime();
        procs.put("x", 5);
        ProcessJob increment = newJob(() -> {
            countThisJob();
            return "x = " + JobContext.current().increment("x", 1);
        });
        procs.distribute(Collections.nCopies(20, increment));
        procs.waitFor();
        double sharedSeconds = seconds(start);

        List<Row> rows = new ArrayList<>();
        for (Worker<?> w : procs.workers()) {
            Long ran = procs.fetch(jobsRunBy(w.pid()), Long.class);
            rows.add(new Row(w.pid(), w.name(), ran == null ? 0 : ran, w.ret()));
        }
        return new Summary(distributedTo, procs.fetch("squares", Long.class), second, waited,
                procs.fetch("x", Long.class), rows, distributeSeconds, assignSeconds, sharedSeconds);
    }

    /**
     * One of the thirty distributed jobs.
     *
     * @param i a number
     * @return {@code "<i>^2 = <i*i>"}
     */
    public static String square(int i) {
        countThisJob();
        JobContext.current().increment("squares", 1);
        return i + "^2 = " + i * i;
    }

    /**
     * {@code procs.waitFor()}, with a progress bar of the jobs that ended meanwhile (read from the
     * workers' counters ten times a second) while it waits.
     */
    private static void waitShowingProgress(ProcessManager procs, long endedBefore, int jobs) {
        ProgressBar bar = new ProgressBar(new PrintWriter(System.out), System.console() != null);
        long start = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(() -> {
            long ended = ended(procs) - endedBefore;
            bar.show(ended, jobs, ended / seconds(start));
        }, 0, 100, TimeUnit.MILLISECONDS);
        try {
            procs.waitFor();
        } finally {
            ticker.shutdownNow();
        }
        bar.show(jobs, jobs, jobs / seconds(start));
    }

    private static long ended(ProcessManager procs) {
        return procs.workers().stream().mapToLong(w -> w.done() + w.failed()).sum();
    }

    private static void countThisJob() {
        JobContext ctx = JobContext.current();
        ctx.increment(jobsRunBy(ctx.pid()), 1);
    }

    private static String jobsRunBy(long pid) {
        return "jobs-run-by-" + pid;
    }

    private static String table(List<Row> rows) {
        int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        String format = "%5s  %-" + Math.max(4, nameWidth) + "s  %4s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "pid", "name", "jobs", "latest return"));
        for (Row r : rows) {
            out.append(String.format(format, r.pid(), r.name(), r.jobsRun(), r.latestReturn()));
        }
        return out.toString();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
