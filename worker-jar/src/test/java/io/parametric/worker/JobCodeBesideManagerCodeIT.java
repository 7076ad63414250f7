package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.app.RenderApp;
import io.parametric.manager.ParametricProcesses;
import io.parametric.manager.ProcessManager;
import io.parametric.manager.WorkerStats;
import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A new user's application (job lambdas in the class that also holds manager code) on a standalone
 * worker started from the runnable jar with only {@code --allow} and {@code --jobs} for their code:
 * the jar bundles the manager, so the lambdas run. A job that needs a class no worker has fails
 * naming it and {@code PP_JOBS}, and the worker's hash records it.
 */
class JobCodeBesideManagerCodeIT {

    private static final Path JAR = Path.of(System.getProperty("pp.workerJar", "../worker/target/parametric-worker.jar"));
    /** The user's compiled classes, as a user passes target/classes. */
    private static final Path APP_CLASSES = Path.of("target", "test-classes");

    @Test
    void lambdasBesideManagerCodeRunOnAWorkerStartedFromTheJar() throws Exception {
        String fleet = TestRedis.uniqueFleet("beside");
        try (WorkerProcess worker = startJar(fleet);
                ProcessManager procs = ParametricProcesses.connect(TestRedis.url(), fleet, TestSecret.VALUE)) {
            assertThat(RenderApp.render(procs, "cat", 640).get(30, TimeUnit.SECONDS)).isEqualTo("cat@640");
        }
    }

    @Test
    void aJobNeedingAClassTheWorkerLacksFailsNamingItAndTheWorkerRecordsIt() {
        String fleet = TestRedis.uniqueFleet("lacks");
        try (WorkerProcess worker = startJar(fleet);
                ProcessManager procs = ParametricProcesses.connect(TestRedis.url(), fleet, TestSecret.VALUE);
                Redis redis = new Redis(TestRedis.url(), 1)) {
            assertThatThrownBy(() -> RenderApp.checked(procs).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(ProcessError.class, e -> {
                        assertThat(e.reason()).isEqualTo(ProcessError.Reason.BAD_PAYLOAD);
                        assertThat(e.getMessage()).contains("needs class org.assertj.core.api.AbstractAssert")
                                .contains("PP_JOBS");
                    });
            assertThat(redis.hget(new FleetKeys(fleet).worker(worker.pid()), "missingClass"))
                    .isEqualTo("org.assertj.core.api.AbstractAssert");
            assertThat(procs.stats().workers()).singleElement().extracting(WorkerStats::missingClass)
                    .as("the fleet's status shows it").isEqualTo("org.assertj.core.api.AbstractAssert");
        }
    }

    private static WorkerProcess startJar(String fleet) {
        assertThat(JAR).as("the runnable jar is built in this module's package phase").exists();
        return WorkerProcess.startJar(JAR.toAbsolutePath(), Map.of("PP_REDIS_URL", TestRedis.url(), "PP_FLEET", fleet,
                "PP_ALLOW", "com.example.app", "PP_JOBS", APP_CLASSES.toAbsolutePath().toString()), 1);
    }
}
