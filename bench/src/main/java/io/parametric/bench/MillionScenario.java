package io.parametric.bench;

import static io.parametric.manager.ParametricProcesses.connect;

import io.parametric.bench.ResultTable.Unit;
import io.parametric.bench.ResultTable.Value;
import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.resps.Slowlog;

/**
 * The {@code million} scenario: with a million jobs queued (30 % on each of three gated workers,
 * 10 % on the fleet backlog), the slowest single Redis command (SLOWLOG) of each fleet operation
 * that may touch them: cancelling a queued job, closing a worker, a worker's SIGTERM shutdown,
 * reaping a killed worker, and cancelling again once the backlog holds nearly all of them.
 *
 * <pre>{@code
 * new MillionScenario(settings, redis, System.err).run(1_000_000, Duration.ofSeconds(10), table);
 * }</pre>
 */
final class MillionScenario {

    private static final int CHUNK = 50_000;
    private static final int FILL_THREADS = 4;
    private static final Duration WORKER_TIMEOUT = Duration.ofMinutes(10);

    private final Settings settings;
    private final RedisInspector redis;
    private final PrintStream log;
    private final ProcessJob job = BenchJobs.noOp();
    private int timedOut;

    MillionScenario(Settings settings, RedisInspector redis, PrintStream log) {
        this.settings = settings;
        this.redis = redis;
        this.log = log;
    }

    /**
     * @param total jobs to queue
     * @param lease the workers' lease (how soon the killed one is reaped)
     * @param table where the figures go
     * @throws Exception a failed placement or Redis call
     */
    void run(int total, Duration lease, ResultTable table) throws Exception {
        String fleet = "pp-bench-million-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = Map.of("PP_LEASE", lease.toMillis() + "ms",
                "PP_HEARTBEAT", Math.max(100, lease.toMillis() / 5) + "ms");
        List<WorkerProcess> processes = new ArrayList<>();
        try (ProcessManager manager = connect(settings.redisUrl(), fleet)) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WorkerProcess w = WorkerProcess.start(settings.redisUrl(), fleet, 1, env);
                processes.add(w);
                pids.addAll(w.awaitSlots(manager, new HashSet<>(pids), Duration.ofSeconds(120)));
            }
            long closing = pids.get(0);
            long killed = pids.get(1);
            long terminated = pids.get(2);
            String gates = BenchJobs.closeGates(manager, pids);

            int perWorker = (int) (total * 0.3);
            int backlog = total - 3 * perWorker;
            long t0 = System.nanoTime();
            for (long pid : pids) {
                log.printf("[bench] queueing %,d jobs on worker %d%n", perWorker, pid);
                for (int placed = 0; placed < perWorker; placed += CHUNK) {
                    manager.distribute(List.of(pid), Collections.nCopies(Math.min(CHUNK, perWorker - placed), job).toArray(ProcessJob[]::new));
                }
            }
            log.printf("[bench] queueing %,d jobs on the fleet backlog%n", backlog);
            List<JobFuture<Object>> onBacklog = fillBacklog(manager, backlog);
            JobFuture<Object> onWorker = manager.submit(closing, job);
            table.add(String.format(Locale.ROOT, "queued %,d jobs (distribute in chunks of %,d; backlog by submit)", total, CHUNK),
                    Value.of(total / FleetScenarios.seconds(System.nanoTime() - t0), Unit.JOBS_PER_S));

            slowest(table, "cancel one job on a backlog of " + String.format(Locale.ROOT, "%,d", backlog),
                    () -> retrying(() -> manager.cancel(onBacklog.get(onBacklog.size() - 1).jobId())));
            slowest(table, "cancel one job queued behind " + String.format(Locale.ROOT, "%,d", perWorker) + " on a worker",
                    () -> retrying(() -> manager.cancel(onWorker.jobId())));
            slowest(table, "close a worker with " + String.format(Locale.ROOT, "%,d", perWorker) + " queued (to the backlog)", () -> {
                retrying(() -> closeOnce(manager, closing));
                retrying(() -> BenchJobs.openGates(manager, gates, List.of(closing)));
                awaitEmptyQueue(manager, closing);
            });
            slowest(table, "SIGTERM a worker with " + String.format(Locale.ROOT, "%,d", perWorker) + " queued (hands them back)", () -> {
                processes.get(2).signal("TERM");
                retrying(() -> BenchJobs.openGates(manager, gates, List.of(terminated)));
                int status = processes.get(2).awaitExit(WORKER_TIMEOUT);
                if (status != 0) {
                    throw new IllegalStateException("the SIGTERMed worker exited with " + status + "; see " + processes.get(2).log());
                }
            });
            slowest(table, "reap a killed worker with " + String.format(Locale.ROOT, "%,d", perWorker) + " queued", () -> {
                processes.get(1).signal("KILL");
                awaitGone(manager, killed);
            });
            JobFuture<Object> last = retrying(() -> manager.submit(job));
            slowest(table, "cancel one job on the backlog after all of that (≈ " + String.format(Locale.ROOT, "%,d", total) + ")",
                    () -> retrying(() -> manager.cancel(last.jobId())));
            table.note("Slowest single Redis command of each operation (SLOWLOG, threshold 1 ms); the workers' lease was " + lease.toMillis() + " ms.");
            table.note("Manager calls that timed out while a script held Redis (and were repeated until Redis answered): " + timedOut + ".");
        } finally {
            processes.forEach(WorkerProcess::close);
            log.println("[bench] removing the scenario's keys");
            redis.deleteKeys("pp:{" + fleet + "}:*");
        }
    }

    /**
     * Runs a manager call, repeating it while it fails with REDIS_UNAVAILABLE: a script that holds
     * Redis longer than the client's timeout (what this scenario looks for) makes calls time out.
     * Each of the operations repeated here is safe to repeat.
     */
    private <T> T retrying(java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (ProcessError e) {
                busy(e);
                timedOut++;
                log.println("[bench] a manager call timed out while Redis was held: " + e.getMessage());
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Closes a worker; a repeated call finds it gone when the attempt that timed out did close it. */
    private static void closeOnce(ProcessManager manager, long pid) {
        try {
            manager.close(pid);
        } catch (ProcessError e) {
            if (e.reason() != ProcessError.Reason.NO_SUCH_WORKER) {
                throw e;
            }
        }
    }

    private void retrying(Runnable call) {
        retrying(() -> {
            call.run();
            return null;
        });
    }

    /** An operation whose slowest Redis command is recorded. */
    private interface Operation {
        void run() throws Exception;
    }

    private void slowest(ResultTable table, String what, Operation operation) throws Exception {
        log.println("[bench] " + what);
        redis.resetSlowlog(1_000);
        long t0 = System.nanoTime();
        operation.run();
        double seconds = FleetScenarios.seconds(System.nanoTime() - t0);
        Slowlog worst = redis.slowest().orElse(null);
        long over10ms = redis.slowlogCount(10_000);
        String detail = worst == null ? "(no command ≥ 1 ms)"
                : String.format(Locale.ROOT, "(%s; %d commands ≥ 10 ms; operation took %.2f s)",
                        describe(worst), over10ms, seconds);
        table.add("slowest command: " + what, worst == null
                ? Value.text("< 1 ms " + String.format(Locale.ROOT, "(operation took %.2f s)", seconds))
                : Value.of(worst.getExecutionTime() / 1000.0, Unit.MS, detail));
    }

    /** @return the command and its first argument, cut short (an EVAL's argument is a whole script) */
    private static String describe(Slowlog entry) {
        List<String> args = entry.getArgs();
        String text = String.join(" ", args.subList(0, Math.min(2, args.size()))).replaceAll("\\s+", " ");
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private List<JobFuture<Object>> fillBacklog(ProcessManager manager, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(FILL_THREADS);
        try {
            List<Future<List<JobFuture<Object>>>> parts = new ArrayList<>();
            for (int t = 0; t < FILL_THREADS; t++) {
                int count = n / FILL_THREADS + (t < n % FILL_THREADS ? 1 : 0);
                parts.add(pool.submit(() -> {
                    List<JobFuture<Object>> placed = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        placed.add(manager.submit(job));
                    }
                    return placed;
                }));
            }
            List<JobFuture<Object>> all = new ArrayList<>(n);
            for (Future<List<JobFuture<Object>>> part : parts) {
                all.addAll(part.get());
            }
            BenchJobs.awaitPlaced(all);
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private static void awaitEmptyQueue(ProcessManager manager, long pid) {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (stillQueued(manager, pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + pid + " still has queued jobs " + WORKER_TIMEOUT.toMinutes() + " min after close");
            }
            BenchJobs.sleep(100); // no event tells a connect() manager that a close finished
        }
    }

    private static boolean stillQueued(ProcessManager manager, long pid) {
        try {
            return manager.workerPids().contains(pid) && manager.get(pid).queued() > 0;
        } catch (ProcessError e) {
            return busy(e);
        }
    }

    private static void awaitGone(ProcessManager manager, long pid) {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (listed(manager, pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("killed worker " + pid + " was not reaped within " + WORKER_TIMEOUT.toMinutes() + " min");
            }
            BenchJobs.sleep(100); // the reaper runs on its own schedule
        }
    }

    private static boolean listed(ProcessManager manager, long pid) {
        try {
            return manager.workerPids().contains(pid);
        } catch (ProcessError e) {
            return busy(e);
        }
    }

    /** @return true (keep waiting) when Redis is held by a long script, which is what this scenario measures */
    private static boolean busy(ProcessError e) {
        if (e.reason() != ProcessError.Reason.REDIS_UNAVAILABLE) {
            throw e;
        }
        return true;
    }
}
