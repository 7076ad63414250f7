package io.parametric.bench;

import static io.parametric.manager.ParametricProcesses.connect;

import io.parametric.bench.ResultTable.Unit;
import io.parametric.bench.ResultTable.Value;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.protocol.FleetKeys;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jobs/s of one fleet with 1 and with more shards on a 3-master loopback Redis Cluster it starts
 * itself: the same worker JVMs and the same submit loop each time, every shard's slot on another
 * master. Per run it also reads each master's CPU and command count, for the capacity model of
 * docs/scaling.md (jobs/s one master carries at 100 % of a core).
 *
 * <pre>{@code
 * new ShardsScenario(settings, System.err).run(List.of(1, 3), 3, table);
 * }</pre>
 */
final class ShardsScenario {

    private static final int MASTERS = 3;
    private static final Duration READY = Duration.ofSeconds(90);

    private final Settings settings;
    private final PrintStream log;
    private final ProcessJob job = BenchJobs.noOp();

    ShardsScenario(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * @param shardCounts the shard counts to measure, each at most 3
     * @param processes worker JVMs, each with {@code settings.slots()} slots
     * @param table where the figures go
     */
    void run(List<Integer> shardCounts, int processes, ResultTable table) {
        log.println("[bench] starting a " + MASTERS + "-master Redis Cluster");
        try (PrivateCluster cluster = PrivateCluster.start(MASTERS)) {
            for (int shards : shardCounts) {
                if (shards < 1 || shards > MASTERS) {
                    throw new IllegalArgumentException("shard counts must be 1 to " + MASTERS + " (one master each), got " + shards);
                }
                measure(cluster, shards, processes, table);
            }
        }
        table.note("Shards: one fleet on a " + MASTERS + "-master loopback Redis Cluster (no replicas, no persistence) started by"
                + " the benchmark, each shard's slot on another master; " + processes + " worker JVMs of " + settings.slots()
                + " slots, started one after the other (each joins the shard with the fewest workers); " + settings.jobs()
                + " `submit`s of a no-op from this JVM, then all results. CPU: `used_cpu_user + used_cpu_sys` of each master over"
                + " the run; one master's capacity = the jobs/s it served ÷ the share of a core it used.");
    }

    private void measure(PrivateCluster cluster, int shards, int processes, ResultTable table) {
        String fleet = fleetOnDistinctMasters(cluster, "bench-shards" + shards, shards);
        List<WorkerProcess> workers = new ArrayList<>();
        try (ProcessManager manager = connect(cluster.url(), fleet)) {
            manager.shards(shards);
            Set<Long> known = new HashSet<>();
            for (int i = 0; i < processes; i++) {
                WorkerProcess w = WorkerProcess.start(cluster.url(), fleet, settings.slots(), Map.of());
                workers.add(w);
                known.addAll(w.awaitSlots(manager, known, READY));
            }
            log.printf("[bench] %d shard(s): %d worker slots ready; warming up%n", shards, known.size());
            Placement.SUBMIT_LOOP.run(manager, job, settings.warmup() * 2);
            List<RedisInspector> nodes = cluster.nodeUrls().stream().map(RedisInspector::new).toList();
            try {
                double[] cpu = nodes.stream().mapToDouble(RedisInspector::cpuSeconds).toArray();
                long[] commands = nodes.stream().mapToLong(RedisInspector::commandsProcessed).toArray();
                long t0 = System.nanoTime();
                Placement.SUBMIT_LOOP.run(manager, job, settings.jobs());
                double seconds = (System.nanoTime() - t0) / 1e9;
                double rate = settings.jobs() / seconds;
                long allCommands = 0;
                int busiest = 0;
                double[] share = new double[nodes.size()];
                long[] served = new long[nodes.size()];
                for (int i = 0; i < nodes.size(); i++) {
                    share[i] = (nodes.get(i).cpuSeconds() - cpu[i]) / seconds;
                    served[i] = nodes.get(i).commandsProcessed() - commands[i];
                    allCommands += served[i];
                    busiest = share[i] > share[busiest] ? i : busiest;
                }
                String run = "cluster of " + MASTERS + " masters, " + shards + (shards == 1 ? " shard" : " shards") + ", ";
                table.add(run + Placement.SUBMIT_LOOP.describe(settings.jobs()), Value.of(rate, Unit.JOBS_PER_S));
                table.add(run + "CPU of the busiest master, % of one core", Value.of(100 * share[busiest], Unit.COUNT));
                table.add(run + "Redis commands per job, all masters", Value.of(allCommands / (double) settings.jobs(), Unit.COUNT));
                double jobsOnBusiest = rate * served[busiest] / Math.max(1, allCommands);
                table.add(run + "jobs/s one master carries at 100 % of a core (its jobs/s ÷ its CPU share)",
                        Value.of(jobsOnBusiest / Math.max(share[busiest], 1e-9), Unit.JOBS_PER_S));
                log.printf("[bench] %d shard(s): %.0f jobs/s; master CPU %s%n", shards, rate, java.util.Arrays.toString(share));
            } finally {
                nodes.forEach(RedisInspector::close);
            }
        } finally {
            workers.forEach(WorkerProcess::close);
        }
    }

    /** @return a fleet name {@code <prefix>-<n>} whose first {@code shards} shards live on as many masters */
    private static String fleetOnDistinctMasters(PrivateCluster cluster, String prefix, int shards) {
        for (int n = 0; n < 1000; n++) {
            String fleet = prefix + "-" + n;
            Set<Integer> masters = new HashSet<>();
            for (int k = 0; k < shards; k++) {
                String tag = FleetKeys.shard(fleet, k).prefix();
                masters.add(cluster.masterOf(tag.substring(tag.indexOf('{') + 1, tag.indexOf('}'))));
            }
            if (masters.size() == shards) {
                return fleet;
            }
        }
        throw new IllegalStateException("no fleet name " + prefix + "-<n> has its " + shards + " shards on " + shards + " masters");
    }
}
