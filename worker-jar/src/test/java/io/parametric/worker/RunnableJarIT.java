package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedis;
import io.parametric.worker.testjobs.Jobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar, configured by PP_* variables only, with job code from PP_JOBS (the test
 * classes: their JobTypes come through ServiceLoader of that folder, their records and lambdas
 * are admitted by PP_ALLOW).
 */
class RunnableJarIT {

    private static final Path JAR = Path.of(System.getProperty("pp.workerJar", "../worker/target/parametric-worker.jar"));
    /** The worker module's test classes (job types, records and lambdas of the worker's own tests). */
    private static final Path TEST_CLASSES = Path.of("..", "worker", "target", "test-classes");

    @Test
    void jarConfiguredByEnvironmentRunsJobCodeFromPpJobsAndExitsZeroOnSigterm() {
        assertThat(JAR).as("the runnable jar is built in the package phase").exists();
        String fleet = TestRedis.uniqueFleet("jar");
        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess w = WorkerProcess.startJar(JAR.toAbsolutePath(), Map.of(
                        "PP_REDIS_URL", TestRedis.url(), "PP_FLEET", fleet, "PP_SLOTS", "2", "PP_NAME", "jar",
                        "PP_ALLOW", "io.parametric.worker.testjobs", "PP_JOBS", TEST_CLASSES.toAbsolutePath().toString(),
                        "PP_SHUTDOWN_TIMEOUT", "5s"), 2)) {
            assertThat(w.names()).containsExactlyInAnyOrder("jar-" + w.pids().get(0), "jar-" + w.pids().get(1));
            long pid = w.pid();
            assertThat(manager.fleet.workerInfo(pid).get("types")).contains(",echo,", ",add,");

            manager.place(pid, JobPayloads.type("add", List.of(40, 2)));
            assertThat(manager.next().value().asInt()).isEqualTo(42);
            manager.place(pid, JobPayloads.record(new Jobs.Square(9)));
            assertThat(manager.next().value().asInt()).isEqualTo(81);
            manager.place(pid, JobPayloads.lambda(Jobs.exampleRef(), List.of(1, "ab")));
            Outcome lambda = manager.next();
            assertThat(lambda.ok()).as(lambda.message()).isTrue();
            assertThat(lambda.value().asInt()).isEqualTo(12);

            w.terminate();
            assertThat(w.awaitExit(Duration.ofSeconds(20))).isZero();
            String log = w.log();
            assertThat(log).contains("INFO  worker " + pid + " (jar-" + pid + ") registered in fleet '" + fleet + "'")
                    .contains("deregistered").doesNotContain("DEBUG");
            assertThat(log.lines()).allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT.*(INFO|WARN|ERROR) .*"));
        }
    }
}
