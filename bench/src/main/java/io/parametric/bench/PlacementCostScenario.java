package io.parametric.bench;

import static io.parametric.manager.ParametricProcesses.connect;

import io.parametric.bench.ResultTable.Unit;
import io.parametric.bench.ResultTable.Value;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The {@code workers50} scenario: how many Redis commands and round trips one placement by a
 * {@code connect()} manager costs as the fleet grows (1 and 50 registered workers by default).
 * The workers are paused with SIGSTOP while placements are counted, so the {@code INFO}
 * deltas hold the manager's commands only (its once-a-second reaper tick aside) — no MONITOR.
 *
 * <pre>{@code
 * new PlacementCostScenario(settings, redis, System.err).run(List.of(1, 50), table);
 * }</pre>
 */
final class PlacementCostScenario {

    /** Placements counted per kind: enough to average out a reaper tick. */
    private static final int PLACEMENTS = 20;

    private final Settings settings;
    private final RedisInspector redis;
    private final PrintStream log;

    PlacementCostScenario(Settings settings, RedisInspector redis, PrintStream log) {
        this.settings = settings;
        this.redis = redis;
        this.log = log;
    }

    /**
     * @param fleetSizes registered workers of each fleet measured
     * @param table where the figures go
     */
    void run(List<Integer> fleetSizes, ResultTable table) {
        ProcessJob job = BenchJobs.noOp();
        for (int size : fleetSizes) {
            String fleet = "pp-bench-placement-" + UUID.randomUUID().toString().substring(0, 8);
            log.printf("[bench] placement cost with %d registered workers%n", size);
            try (ProcessManager manager = connect(settings.redisUrl(), fleet);
                 WorkerProcess workers = WorkerProcess.start(settings.redisUrl(), fleet, size, Map.of())) {
                List<Long> pids = workers.awaitSlots(manager, Set.of(), Duration.ofSeconds(180));
                long pid = pids.get(0);
                manager.submit(job).join();
                workers.signal("STOP");
                try {
                    kinds(pid).forEach((kind, place) -> {
                        CommandStats c0 = redis.commandStats();
                        long r0 = redis.readsProcessed();
                        for (int i = 0; i < PLACEMENTS; i++) {
                            place.accept(manager, job);
                        }
                        // the closing INFO's own read falls inside the window
                        long reads = redis.readsProcessed() - r0 - 1;
                        CommandStats used = redis.commandStats().minus(c0).without("info");
                        table.add(String.format(Locale.ROOT, "Redis commands per `%s`, workers registered: %d (round trips)", kind, size),
                                Value.of(used.total() / (double) PLACEMENTS, Unit.COUNT,
                                        String.format(Locale.ROOT, "(%.2f)", reads / (double) PLACEMENTS)));
                        table.note(String.format(Locale.ROOT, "`%s`, workers registered: %d: %s", kind, size, used.top(PLACEMENTS, 6)));
                    });
                } finally {
                    workers.signal("CONT");
                }
                manager.waitFor(Duration.ofMinutes(2));
            } finally {
                redis.deleteKeys("pp:{" + fleet + "}:*");
            }
        }
        table.note("Counted with INFO commandstats and total_reads_processed (≈ round trips: a pipeline longer than Jedis' 8 KB "
                + "output buffer, such as the loads of 50 workers that distribute and assignOpen read, 150 commands, is written "
                + "in two parts of one round trip and mostly read as two; with -Djedis.bufferSize.output=65536 they read as one) while the workers were paused with SIGSTOP; "
                + PLACEMENTS + " placements of each kind.");
    }

    private static Map<String, BiConsumer<ProcessManager, ProcessJob>> kinds(long pid) {
        Map<String, BiConsumer<ProcessManager, ProcessJob>> kinds = new LinkedHashMap<>();
        // One submit on an idle manager, until it is in the fleet (submit returns before that).
        kinds.put("submit(job)", (m, j) -> BenchJobs.awaitPlaced(List.of(m.submit(j))));
        kinds.put("submit(pid, job)", (m, j) -> m.submit(pid, j));
        kinds.put("assign(pid, job)", (m, j) -> m.assign(pid, j));
        kinds.put("distribute(job)", (m, j) -> m.distribute(j));
        kinds.put("assignOpen(job)", (m, j) -> m.assignOpen(j));
        return kinds;
    }
}
