package io.parametric.cli;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import io.parametric.shared.testing.UsesTestRedis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The command line against a live fleet of two worker JVMs. */
@ExtendWith(UsesTestRedis.class)
class CliIT {

    private static String fleetName;
    private static ProcessManager procs;

    @BeforeAll
    static void startFleet() {
        fleetName = TestRedis.uniqueFleet("cli");
        System.setProperty("pp.fleet", fleetName);
        try {
            procs = processes(2);
        } finally {
            System.clearProperty("pp.fleet");
        }
    }

    @AfterAll
    static void stopFleet() {
        procs.close();
    }

    @Test
    void statusPrintsOneTableAndJsonNamedLikeTheStatsAccessors() {
        procs.assign(procs.workerPids().get(0), newJob(() -> 1));
        procs.waitFor(Duration.ofSeconds(60));

        Run table = cli("status");
        assertThat(table.status).isZero();
        assertThat(table.out).contains("fleet " + fleetName + ": 2 workers, backlog 0, delayed 0, dead 0")
                .contains("PID").contains("RUNNING JOB").contains("DONE");
        procs.workers().forEach(w -> assertThat(table.out).contains(w.name()));

        Run json = cli("status", "--json");
        JsonNode n = tree(json.out);
        assertThat(n.get("backlog").asLong()).isZero();
        assertThat(n.get("delayed").asLong()).isZero();
        assertThat(n.get("dead").asLong()).isZero();
        assertThat(n.get("workers")).hasSize(2);
        JsonNode w = n.get("workers").get(0);
        assertThat(w.get("pid").asLong()).isEqualTo(procs.workerPids().get(0));
        assertThat(w.get("name").asText()).isEqualTo(procs.workers().get(0).name());
        assertThat(w.get("state").asText()).isEqualTo("idle");
        assertThat(w.get("queued").asLong()).isZero();
        assertThat(w.get("done").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(w.get("failed").asLong()).isZero();
        assertThat(w.has("runningJobId")).isTrue();
    }

    @Test
    void statusNamesTheClassAWorkerCouldNotLoad() {
        long pid = procs.workerPids().get(1);
        String hash = new FleetKeys(fleetName).worker(pid);
        try (Redis redis = new Redis(TestRedis.url(), 1)) {
            // what a worker records when a job needs a class its PP_JOBS lacks (JobCodeBesideManagerCodeIT)
            redis.hset(hash, java.util.Map.of("missingClass", "com.acme.Foo"));
            try {
                assertThat(cli("status").out).contains("worker " + pid + " (" + procs.get(pid).name()
                        + ") lacks com.acme.Foo: add the jar or folder holding it to that worker's PP_JOBS");
                JsonNode workers = tree(cli("status", "--json").out).get("workers");
                assertThat(workers.get(1).get("missingClass").asText()).isEqualTo("com.acme.Foo");
                assertThat(workers.get(0).get("missingClass").isNull()).isTrue();
            } finally {
                redis.hdel(hash, "missingClass");
            }
        }
    }

    @Test
    void statusExitsNonZeroWithoutLiveWorkersAndGlobalOptionsGoBeforeOrAfterTheSubcommand() {
        Run empty = cliRaw("--redis", TestRedis.url(), "--fleet", TestRedis.uniqueFleet("empty"), "status");
        assertThat(empty.status).isEqualTo(1);
        assertThat(empty.err).contains("has no live worker");

        Run noRedis = cliRaw("status", "--redis", "redis://127.0.0.1:1", "--fleet", fleetName);
        assertThat(noRedis.status).isEqualTo(2);
        assertThat(noRedis.err).contains("does not answer");
    }

    @Test
    void shardsPrintsTheCountAndRaisesItButNeverLowersIt() {
        String fleet = TestRedis.uniqueFleet("cli-shards");
        Run one = cliRaw("--redis", TestRedis.url(), "--fleet", fleet, "shards");
        assertThat(one.status).isZero();
        assertThat(one.out).contains("': 1 shard", "shard 0  pp:{" + fleet + "}:");
        Run three = cliRaw("--redis", TestRedis.url(), "--fleet", fleet, "shards", "3");
        assertThat(three.status).isZero();
        assertThat(three.out).contains("': 3 shards", "shard 2  pp:{" + fleet + "/2}:");
        Run lower = cliRaw("--redis", TestRedis.url(), "--fleet", fleet, "shards", "2");
        assertThat(lower.status).isEqualTo(1);
        assertThat(lower.err).contains("never falls");
    }

    @Test
    void jobsShowPrintsTheErrorWithItsStackTrace() {
        long pid = procs.workerPids().get(1);
        JobFuture<Object> f = procs.submit(pid, newJob(() -> {
            throw new IllegalStateException("shown by jobs show");
        }));
        assertThatThrownBy(f::join).hasCauseInstanceOf(ProcessError.class);

        Run show = cli("jobs", "show", f.jobId());
        assertThat(show.status).isZero();
        assertThat(show.out).contains("job " + f.jobId() + ": failed on worker " + pid)
                .contains("deliveries 1")
                .contains("failed JOB_FAILED java.lang.IllegalStateException: shown by jobs show")
                .contains("at io.parametric.cli.CliIT");
        JsonNode json = tree(cli("jobs", "show", f.jobId(), "--json").out);
        assertThat(json.get("state").asText()).isEqualTo("failed");
        assertThat(json.get("outcome").get("reason").asText()).isEqualTo("JOB_FAILED");

        assertThat(cli("jobs", "show", "no-such-job").status).isEqualTo(1);
    }

    @Test
    void deadListsRequeuesAndPurges() {
        try (Redis redis = new Redis(TestRedis.url(), 1)) {
            redis.rpush(new FleetKeys(fleetName).deadLetter(),
                    Fleet.deadLetterEntry("not a job (a test entry)", "x.1", "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        Run list = cli("dead", "list");
        assertThat(list.out).contains("1 dead-letter entries").contains("not a job (a test entry)");
        assertThat(tree(cli("dead", "list", "--json").out)).hasSize(1);
        assertThat(cli("dead", "requeue").out).contains("requeued 0 jobs; 1 entries stay");
        assertThat(cli("dead", "purge").out).contains("purged 1 entries");
        assertThat(cli("dead", "list").out).contains("0 dead-letter entries");
    }

    @Test
    void waitShowsProgressUntilTheJobsAreDoneAndTopShowsTheRate() {
        JobFuture<Object> a = procs.submit(newJob(() -> {
            Thread.sleep(500);
            return 1;
        }));
        JobFuture<Object> b = procs.submit(newJob(() -> 2));
        Run wait = cli("wait", a.jobId(), b.jobId(), "--timeout", "60s");
        assertThat(wait.status).isZero();
        assertThat(wait.out).contains("2/2 100%").contains("all 2 jobs done");

        Run drained = cli("wait", "--timeout", "60s");
        assertThat(drained.status).isZero();
        assertThat(drained.out).contains("the fleet has nothing left to run");

        Run top = cli("top", "--count", "2", "--interval", "100ms");
        assertThat(top.status).isZero();
        assertThat(top.out.split("parametric-cli top", -1)).hasSize(3);
        assertThat(top.out).contains("jobs/s").contains("PID");
    }

    @Test
    void benchRunsTheBenchmarkModuleWithoutRedissonInTheJar() throws java.io.IOException {
        assertThat(cliRaw("bench", "--help").status).isZero();
        Run baseline = cliRaw("bench", "--baseline");
        assertThat(baseline.status).isEqualTo(2);
        assertThat(baseline.err).contains("parametric-bench.jar --baseline");
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile("target/parametric-cli.jar")) {
            assertThat(jar.stream().map(java.util.jar.JarEntry::getName))
                    .noneMatch(n -> n.startsWith("org/redisson/"))
                    .noneMatch(n -> n.startsWith("io/micrometer/prometheusmetrics/"))
                    .contains("io/parametric/bench/BenchMain.class", "picocli/CommandLine.class",
                            "io/parametric/cli/dashboard/index.html");
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static Run cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--redis";
        all[args.length + 1] = TestRedis.url();
        all[args.length + 2] = "--fleet";
        all[args.length + 3] = fleetName;
        return cliRaw(all);
    }

    private static Run cliRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private record Run(int status, String out, String err) {}
}
