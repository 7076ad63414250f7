package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A manager made by {@code connect} can still wait for a worker that left the fleet: the jobs it
 * placed there are re-homed by the reaper once the lease runs out and finish elsewhere.
 */
class DepartedWorkerIT {

    /** Short, so the reaper hands the killed worker's jobs on within a few seconds. */
    private static final String LEASE = "2s";

    private final List<Process> workers = new ArrayList<>();
    private String previousLease;

    @AfterEach
    void stopWorkers() throws InterruptedException {
        workers.forEach(Process::destroy);
        for (Process p : workers) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (previousLease == null) {
            System.clearProperty("pp.lease");
        } else {
            System.setProperty("pp.lease", previousLease);
        }
    }

    @Test
    void waitForAKilledWorkersPidReturnsTheOutcomeOfItsRehomedJob() throws Exception {
        String fleet = TestRedis.uniqueFleet("departed");
        previousLease = System.setProperty("pp.lease", LEASE);
        Standalone killed = start(fleet, "doomed");
        Standalone survivor = start(fleet, "survivor");
        try (ProcessManager procs = connect(TestRedis.url(), fleet, TestSecret.VALUE)) {
            assertThat(procs.workerPids()).containsExactly(killed.pid(), survivor.pid());

            // Hangs on the worker it was placed on, returns where it finally ran.
            procs.assign(killed.pid(), newJob((Long stuckOn) -> {
                if (JobContext.current().pid() == stuckOn) {
                    Thread.sleep(Duration.ofMinutes(10).toMillis());
                }
                return JobContext.current().pid();
            }, killed.pid()));
            await().atMost(Duration.ofSeconds(30)).until(() -> procs.get(killed.pid()).isActive()
                    && procs.get(killed.pid()).queued() == 0);

            killed.process().destroyForcibly(); // SIGKILL: no shutdown hook hands the job back
            killed.process().waitFor(30, TimeUnit.SECONDS);

            // The reaper takes it out of the fleet after the lease; only then is it really gone.
            await().atMost(Duration.ofSeconds(60)).until(() -> !procs.workerPids().contains(killed.pid()));

            List<Object> returns = procs.waitFor(Duration.ofSeconds(60), killed.pid());
            assertThat(((Number) returns.get(0)).longValue()).as("ran on the survivor").isEqualTo(survivor.pid());

            long neverKnown = survivor.pid() + 100;
            assertThatThrownBy(() -> procs.waitFor(Duration.ofSeconds(5), neverKnown))
                    .isInstanceOfSatisfying(ProcessError.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_WORKER);
                        assertThat(e.getMessage()).contains(Long.toString(neverKnown));
                    });
        }
    }

    /** The test's own package: its lambdas run, nothing else. */
    private static final String ALLOW = "io.parametric.manager";

    private record Standalone(long pid, Process process) {}

    /** Starts a standalone worker JVM in the fleet and returns once it announced its pid. */
    private Standalone start(String fleet, String name) throws IOException, InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("java.class.path"),
                        "io.parametric.worker.WorkerMain",
                        "--redis", TestRedis.url(), "--fleet", fleet, "--name", name, "--allow", ALLOW,
                        "--heartbeat", "500ms", "--lease", LEASE,
                        "--parent-pid", Long.toString(ProcessHandle.current().pid()), "--announce")
                .redirectErrorStream(true);
        TestSecret.passTo(pb.environment());
        Process p = pb.start();
        workers.add(p);
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("PP_READY ")) {
                        ready.complete(Long.parseLong(line.split(" ")[1]));
                    }
                }
            } catch (IOException e) {
                // the worker is gone; ready fails below if it never announced
            }
            ready.completeExceptionally(new IllegalStateException("worker " + name + " exited before it registered"));
        }, "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        return new Standalone(ready.get(90, TimeUnit.SECONDS), p);
    }
}
