package io.parametric.bench;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.bench.ResultTable.Unit;
import io.parametric.bench.ResultTable.Value;
import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The default run on the project itself, through its public API: end-to-end throughput per
 * {@link Placement}, sequential latency, bulk placement and worker-only drain, Redis bytes per
 * queued and per finished job, and commands per job. Each figure goes into the table.
 *
 * <pre>{@code
 * new FleetScenarios(settings, redis, System.err).run(table);   // pp.redis.url must name settings.redisUrl()
 * }</pre>
 */
final class FleetScenarios {

    /** Threads that submit concurrently when only the bytes, not the time, of a placement matter. */
    private static final int FILL_THREADS = 4;

    private final Settings settings;
    private final RedisInspector redis;
    private final PrintStream log;
    private final ProcessJob job = BenchJobs.noOp();

    /** What the project's latency run measured, for the baselines' ratios. */
    record Figures(Latency.Summary latency) {}

    FleetScenarios(Settings settings, RedisInspector redis, PrintStream log) {
        this.settings = settings;
        this.redis = redis;
        this.log = log;
    }

    /**
     * Runs every scenario of the default run and adds its rows.
     *
     * @param table where the figures go
     * @return the figures the baselines are compared with
     * @throws Exception a failed job or Redis call
     */
    Figures run(ResultTable table) throws Exception {
        int n = settings.jobs();
        Latency.Summary latency;
        try (ProcessManager manager = processes(settings.slots())) {
            log.printf("[bench] %d workers ready; warming up%n", settings.slots());
            Placement.SUBMIT_LOOP.run(manager, job, settings.warmup() * 2);

            log.println("[bench] end to end: submit loop");
            JitSettle.await(log, "submit loop");
            long memory = redis.usedMemory();
            CommandStats before = redis.commandStats();
            CpuUse cpuBefore = CpuUse.now(redis);
            double submitRate = throughput(manager, Placement.SUBMIT_LOOP, n);
            CpuUse cpu = CpuUse.now(redis).minus(cpuBefore);
            CommandStats perRun = redis.commandStats().minus(before).without("info");
            long finishedBytes = redis.usedMemory() - memory;
            Value submit = Value.of(submitRate, Unit.JOBS_PER_S);
            table.add(submitLoopFigure(settings), submit);
            addCpuPerJob(table, cpu, n);

            for (Placement p : List.of(Placement.DISTRIBUTE, Placement.SUBMIT_ALL)) {
                String name = p.name().toLowerCase(java.util.Locale.ROOT);
                log.println("[bench] end to end: " + name);
                JitSettle.await(log, name);
                table.add(endToEnd(settings) + p.describe(n), Value.of(throughput(manager, p, n), Unit.JOBS_PER_S));
            }

            log.println("[bench] sequential latency");
            long pid = manager.workerPids().get(0);
            latency = Latency.measure(settings.warmup(), settings.samples(), () -> manager.submit(pid, job).get(), log);
            latency.byName().forEach((name, ms) -> table.add(latencyFigure(name), Value.of(ms, Unit.MS)));
            table.note("Latency: " + settings.samples() + " sequential round trips after " + settings.warmup() + " warm-up ones.");

            bulkAndDrain(manager, table);

            table.add("Redis bytes per finished job kept for `job(id)` (used_memory delta of the submit run ÷ jobs)",
                    Value.of(finishedBytes / (double) n, Unit.BYTES));
            table.add("Redis commands per job, end to end (INFO commandstats, script calls included)",
                    Value.of(perRun.total() / (double) n, Unit.COUNT));
            table.note("Commands per job, submit loop (INFO commandstats): " + perRun.top(n, 12));
            countUnderMonitor(manager, table);
            countIdle(manager, table);
        }
        bytesPerQueuedJob(table);
        return new Figures(latency);
    }

    /** Where the submit loop's CPU went, per job: what a rate on a shared machine cannot say. */
    private void addCpuPerJob(ResultTable table, CpuUse cpu, int n) {
        String of = "CPU per job of those " + String.format(java.util.Locale.ROOT, "%,d", n) + " `submit`s: ";
        table.add(of + "the manager's JVM (the benchmark's)", micros(cpu.manager().toNanos(), n));
        table.add(of + "the " + settings.slots() + " worker JVMs", micros(cpu.workers().toNanos(), n));
        table.add(of + "Redis (INFO cpu)", micros(cpu.redis().toNanos(), n));
        table.add(of + "all three", micros(cpu.total().toNanos(), n));
    }

    private static Value micros(long nanos, int n) {
        return Value.of(nanos / 1e3 / n, Unit.MICROS);
    }

    private double throughput(ProcessManager manager, Placement placement, int n) {
        long t0 = System.nanoTime();
        placement.run(manager, job, n);
        return n / seconds(System.nanoTime() - t0);
    }

    /** @return the figure of the end-to-end submit loop, which the baselines also run */
    static String submitLoopFigure(Settings settings) {
        return endToEnd(settings) + Placement.SUBMIT_LOOP.describe(settings.jobs());
    }

    private static String endToEnd(Settings settings) {
        return "end to end, `processes(" + settings.slots() + ")`, ";
    }

    /** @return the figure of one latency percentile ({@code p50} ... {@code max}) */
    static String latencyFigure(String percentile) {
        return "sequential `submit(pid, job).get()`, " + percentile;
    }

    /**
     * Queues jobs behind a gate on every worker (placement only), then opens the gates (drain
     * only); the same round runs once before, not measured, as every scenario has its warm-up.
     */
    private void bulkAndDrain(ProcessManager manager, ResultTable table) {
        int bulk = settings.bulk();
        List<Long> pids = manager.workerPids();
        log.printf("[bench] bulk placement of %,d behind gates: warming up%n", bulk);
        String warmUp = BenchJobs.closeGates(manager, pids);
        manager.distribute(Collections.nCopies(bulk, job));
        BenchJobs.openGates(manager, warmUp, pids);
        manager.waitFor();

        log.printf("[bench] bulk placement of %,d behind gates%n", bulk);
        String gates = BenchJobs.closeGates(manager, pids);
        JitSettle.await(log, "bulk placement");
        CommandStats c0 = redis.commandStats();
        long t0 = System.nanoTime();
        manager.distribute(Collections.nCopies(bulk, job));
        double placement = bulk / seconds(System.nanoTime() - t0);
        CommandStats placing = redis.commandStats().minus(c0).without("info");

        log.println("[bench] worker-only drain");
        CommandStats c1 = redis.commandStats();
        long t1 = System.nanoTime();
        BenchJobs.openGates(manager, gates, pids);
        manager.waitFor();
        double drain = bulk / seconds(System.nanoTime() - t1);
        CommandStats draining = redis.commandStats().minus(c1).without("info");

        table.add(String.format(java.util.Locale.ROOT, "one `distribute` of %,d jobs to %d busy workers, placement only", bulk, pids.size()),
                Value.of(placement, Unit.JOBS_PER_S));
        table.add(String.format(java.util.Locale.ROOT, "worker-only drain of %,d queued jobs, %d workers", bulk, pids.size()),
                Value.of(drain, Unit.JOBS_PER_S));
        table.note("Commands per job, bulk placement: " + placing.top(bulk, 8));
        table.note("Commands per job, worker-only drain (gate polling included): " + draining.top(bulk, 8));
    }

    /** A small end-to-end run under MONITOR, which alone tells client commands from script calls. */
    private void countUnderMonitor(ProcessManager manager, ResultTable table) {
        int n = settings.monitorJobs();
        log.printf("[bench] %,d jobs under MONITOR%n", n);
        MonitorCount monitor = MonitorCount.start(settings.redisUrl());
        try {
            Placement.SUBMIT_LOOP.run(manager, job, n);
        } finally {
            monitor.stop();
        }
        CommandStats client = monitor.client();
        CommandStats script = monitor.script();
        table.add("Redis commands per job sent by clients (MONITOR, " + n + "-job submit loop)",
                Value.of(client.total() / (double) n, Unit.COUNT,
                        String.format(java.util.Locale.ROOT, "(+%.2f inside scripts)", script.total() / (double) n)));
        table.note("Client commands per job (MONITOR): " + client.top(n, 10));
        table.note("Commands inside scripts per job (MONITOR): " + script.top(n, 10));
    }

    /** Idle workers under MONITOR: what a fleet costs Redis when there is nothing to do. */
    private void countIdle(ProcessManager manager, ResultTable table) {
        int seconds = settings.idleSeconds();
        int slots = manager.workerPids().size();
        log.printf("[bench] idle fleet under MONITOR for %d s%n", seconds);
        MonitorCount monitor = MonitorCount.start(settings.redisUrl());
        try {
            BenchJobs.sleep(seconds * 1000L); // the measurement is "per second of idling"
        } finally {
            monitor.stop();
        }
        double per = seconds * (double) slots;
        table.add("Redis commands per second per idle worker slot (MONITOR, manager's included, " + seconds + " s)",
                Value.of(monitor.client().total() / per, Unit.COUNT,
                        String.format(java.util.Locale.ROOT, "(+%.2f inside scripts)", monitor.script().total() / per)));
        table.note("Client commands per second per idle slot (MONITOR): " + monitor.client().top(per, 8));
    }

    /** {@code connect()} to a fleet without workers: every {@code submit} goes to the fleet backlog. */
    private void bytesPerQueuedJob(ResultTable table) throws Exception {
        int n = settings.queued();
        String fleet = "pp-bench-queued-" + UUID.randomUUID().toString().substring(0, 8);
        log.printf("[bench] %,d submits to a fleet without workers%n", n);
        try (ProcessManager manager = connect(settings.redisUrl(), fleet)) {
            // the fleet's own keys (pid counter, backlog list) exist before counting
            BenchJobs.awaitPlaced(List.of(manager.submit(job)));
            long memory = redis.usedMemory();
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
                for (Future<List<JobFuture<Object>>> part : parts) {
                    BenchJobs.awaitPlaced(part.get());
                }
            } finally {
                pool.shutdown();
            }
            long bytes = redis.usedMemory() - memory;
            table.add(String.format(java.util.Locale.ROOT,
                            "Redis bytes per queued job (%,d `submit`s, `connect()` to a fleet without workers)", n),
                    Value.of(bytes / (double) n, Unit.BYTES));
        } finally {
            redis.deleteKeys("pp:{" + fleet + "}:*");
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
