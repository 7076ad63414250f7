package io.parametric.bench;

import io.parametric.bench.ResultTable.Unit;
import io.parametric.bench.ResultTable.Value;
import io.parametric.shared.protocol.FleetSecret;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The benchmark's command line: starts a private {@code redis-server} (or uses {@code --redis}),
 * runs one scenario and prints its table in Markdown on standard output (progress goes to
 * standard error).
 *
 * <pre>
 * java -jar bench/target/parametric-bench.jar --baseline
 * java -jar bench/target/parametric-bench.jar million
 * java -jar bench/target/parametric-bench.jar soak --minutes 30
 * </pre>
 */
@Command(name = "parametric-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Throughput, latency, Redis memory and commands of a ParametricProcesses fleet.")
public final class BenchMain implements Callable<Integer> {

    /** What a run measures. */
    enum Scenario {
        /** throughput, latency, bulk placement, drain, bytes and commands per job */
        standard,
        /** a million queued jobs: the slowest command of cancel, close, shutdown, reap */
        million,
        /** Redis commands and round trips per placement with 1 and 50 registered workers */
        workers50,
        /** a steady rate for some minutes, memory and keys each minute */
        soak,
        /** jobs/s of one fleet with 1 and 3 shards on a 3-master cluster the benchmark starts */
        shards
    }

    @Parameters(index = "0", arity = "0..1", defaultValue = "standard", paramLabel = "SCENARIO",
            description = "standard (default), million, workers50, soak or shards")
    Scenario scenario;

    @Option(names = "--redis", paramLabel = "URL", description = "the Redis to measure (default: a private redis-server on a free loopback port)")
    String redisUrl;

    @Option(names = "--baseline", description = "also run Redisson's executor and a bare Jedis list loop on the same Redis, with ratios")
    boolean baseline;

    @Option(names = "--slots", defaultValue = "2", description = "worker slots, `processes(N)` (default: ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--jobs", defaultValue = "20000", description = "jobs per end-to-end run (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--warmup", defaultValue = "10000", description = "round trips before measuring latency; twice as many jobs warm up throughput, so the JIT compilers have the hottest paths; each measured run then waits up to 10 s for this JVM's compilers to go quiet (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--samples", defaultValue = "10000", description = "sequential round trips measured (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--bulk", defaultValue = "100000", description = "jobs of bulk placement and worker-only drain (default: ${DEFAULT-VALUE})")
    int bulk;

    @Option(names = "--queued", defaultValue = "100000", description = "submits to a fleet without workers, for bytes per queued job (default: ${DEFAULT-VALUE})")
    int queued;

    @Option(names = "--monitor-jobs", defaultValue = "1000", description = "jobs counted under MONITOR (default: ${DEFAULT-VALUE})")
    int monitorJobs;

    @Option(names = "--idle-seconds", defaultValue = "20",
            description = "seconds an idle fleet is counted under MONITOR; shorter windows catch a heartbeat or reaper tick more or less (default: ${DEFAULT-VALUE})")
    int idleSeconds;

    @Option(names = "--million", defaultValue = "1000000", description = "million: jobs queued (default: ${DEFAULT-VALUE})")
    int millionJobs;

    @Option(names = "--lease-seconds", defaultValue = "10", description = "million: the workers' lease, how soon a killed one is reaped (default: ${DEFAULT-VALUE})")
    int leaseSeconds;

    @Option(names = "--workers", split = ",", defaultValue = "1,50", description = "workers50: registered workers of each fleet measured (default: ${DEFAULT-VALUE})")
    List<Integer> fleetSizes;

    @Option(names = "--minutes", defaultValue = "10", description = "soak: minutes (default: ${DEFAULT-VALUE})")
    int minutes;

    @Option(names = "--rate", defaultValue = "500", description = "soak: jobs per second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--shard-counts", split = ",", defaultValue = "1,3", description = "shards: shard counts measured, each 1 to 3 (default: ${DEFAULT-VALUE})")
    List<Integer> shardCounts;

    @Option(names = "--processes", defaultValue = "3", description = "shards: worker JVMs, each of --slots slots (default: ${DEFAULT-VALUE})")
    int processes;

    private PrintStream out = System.out;
    private PrintStream log = System.err;

    /**
     * Runs the benchmark and exits with its status.
     *
     * @param args the command line; {@code --help} lists the options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the benchmark in this JVM.
     *
     * @param args the command line
     * @param out where the table goes
     * @param log where progress and errors go
     * @return the exit status: 0, 1 when a scenario failed, 2 for a bad command line
     */
    public static int run(String[] args, PrintStream out, PrintStream log) {
        BenchMain main = new BenchMain();
        main.out = out;
        main.log = log;
        CommandLine cl = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(log, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            log.println("parametric-bench: " + scenarioName(main) + " failed: " + e);
            return 1;
        });
        return cl.execute(args);
    }

    private static String scenarioName(BenchMain main) {
        return main.scenario == null ? "run" : main.scenario.name();
    }

    @Override
    public Integer call() throws Exception {
        if (scenario == Scenario.shards) {
            return shards();
        }
        PrivateRedis own = redisUrl == null ? PrivateRedis.start() : null;
        String url = own != null ? own.url() : redisUrl;
        String previousUrl = System.getProperty("pp.redis.url");
        System.setProperty("pp.redis.url", url);
        // The bench's managers (connect) and worker processes share one secret: the configured
        // one, else a random one for this run.
        String previousSecret = System.getProperty("pp.secret");
        if (FleetSecret.configured().isEmpty()) {
            System.setProperty("pp.secret", FleetSecret.newSecret());
        }
        Settings settings = new Settings(url, slots, jobs, warmup, samples, bulk, queued, monitorJobs, idleSeconds, baseline);
        try (RedisInspector redis = new RedisInspector(url)) {
            out.printf(Locale.ROOT, "%n## parametric-bench %s — %s, %d cores, Java %s, Redis %s%s%n%n", scenario, Instant.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), redis.version(),
                    own != null ? " (private redis-server)" : "");
            ResultTable table = new ResultTable();
            long failed = 0;
            switch (scenario) {
                case standard -> standard(settings, redis, table);
                case million -> new MillionScenario(settings, redis, log).run(millionJobs, Duration.ofSeconds(leaseSeconds), table);
                case workers50 -> new PlacementCostScenario(settings, redis, log).run(fleetSizes, table);
                case soak -> failed = new SoakScenario(settings, redis, out, log).run(minutes, rate);
            }
            if (scenario != Scenario.soak) {
                out.print(table.render(scenario == Scenario.standard && baseline));
            }
            out.flush();
            return failed == 0 ? 0 : 1;
        } finally {
            restore("pp.redis.url", previousUrl);
            restore("pp.secret", previousSecret);
            if (own != null) {
                own.close();
            }
        }
    }

    /** The shards scenario: it starts its own cluster, so no private Redis and no --redis. */
    private int shards() {
        String previousSecret = System.getProperty("pp.secret");
        if (FleetSecret.configured().isEmpty()) {
            System.setProperty("pp.secret", FleetSecret.newSecret());
        }
        try {
            Settings settings = new Settings("a private cluster", slots, jobs, warmup, samples, bulk, queued, monitorJobs, idleSeconds, false);
            out.printf(Locale.ROOT, "%n## parametric-bench shards — %s, %d cores, Java %s%n%n", Instant.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            ResultTable table = new ResultTable();
            new ShardsScenario(settings, log).run(shardCounts, processes, table);
            out.print(table.render(false));
            out.flush();
            return 0;
        } finally {
            restore("pp.secret", previousSecret);
        }
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }

    private void standard(Settings settings, RedisInspector redis, ResultTable table) throws Exception {
        FleetScenarios.Figures ours = new FleetScenarios(settings, redis, log).run(table);
        if (!settings.baseline()) {
            return;
        }
        Baseline redisson = RedissonExecutorBaseline.run(settings, log);
        Baseline lists = RedisListBaseline.run(settings, log);
        table.compare(FleetScenarios.submitLoopFigure(settings),
                Value.of(redisson.jobsPerSecond(), Unit.JOBS_PER_S), Value.of(lists.jobsPerSecond(), Unit.JOBS_PER_S));
        var redissonMs = redisson.latency().byName();
        var listMs = lists.latency().byName();
        ours.latency().byName().keySet().forEach(name -> table.compare(FleetScenarios.latencyFigure(name),
                Value.of(redissonMs.get(name), Unit.MS), Value.of(listMs.get(name), Unit.MS)));
        table.note("Baselines: Redisson " + RedissonExecutorBaseline.version() + " RExecutorService with " + settings.slots() + " workers in this JVM (registerWorkers); Jedis lists: "
                + settings.slots() + " threads, pipelined RPUSH of " + RedisListBaseline.PAYLOAD_BYTES
                + "-byte payloads, one BLPOP and one RPUSH of the result per job, results popped in batches.");
    }
}
