package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.manager.Worker;
import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Workers spawned by {@code processes(n)}: the manager replaces one that dies. */
@ExtendWith(UsesTestRedis.class)
class SpawnedWorkersIT {

    private String fleet;

    @BeforeEach
    void ownFleet() {
        fleet = TestRedis.uniqueFleet("spawned");
        System.setProperty("pp.fleet", fleet);
    }

    @AfterEach
    void forgetFleet() {
        System.clearProperty("pp.fleet");
    }

    @Test
    void managerReplacesASpawnedWorkerKilledMidJobAndNoJobIsLost() throws Exception {
        try (ProcessManager procs = processes(2)) {
            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(procs.submit(newJob(FaultJobs::square, i)));
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> futures.stream().filter(CompletableFuture::isDone).count() >= 50);
            Worker<?> victim = procs.workers().get(0);
            long osPid = Long.parseLong(workerField(victim.pid(), "ospid"));
            ProcessHandle.of(osPid).ifPresent(ProcessHandle::destroyForcibly);

            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            for (int i = 0; i < 200; i++) {
                assertThat(((Number) futures.get(i).get()).longValue()).isEqualTo((long) i * i);
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> procs.workers().stream().filter(w -> !w.isClosed()).count() == 2);
            assertThat(procs.workers()).hasSize(3);
            assertThat(procs.get(victim.pid()).isClosed()).isTrue();
            try (Fleetside side = new Fleetside("h-spawned-sigkill", TestRedis.url(), fleet)) {
                var runs = side.runs(java.util.stream.IntStream.range(0, 200).mapToObj(Integer::toString).toList());
                assertThat(side.inFlightEverywhere()).isEmpty();
                side.figure("jobsPlaced", 200);
                side.figure("spawnedWorkersKilled", 1);
                side.figure("replacedByManager", 1);
                side.figure("duplicates", runs.values().stream().mapToLong(n -> n - 1).sum());
                side.figure("lost", runs.values().stream().filter(n -> n == 0).count());
                side.report();
            }
        }
    }

    @Test
    void spawnedWorkerWhoseJobIgnoresItsTimeoutIsRestartedByItsManager() throws Exception {
        try (ProcessManager procs = processes(1)) {
            long first = procs.workerPids().get(0);
            JobFuture<Object> stuck = procs.submit(newJob(FaultJobs::ignoreInterrupts, 60_000L).withTimeout(Duration.ofMillis(500)));

            assertThatThrownBy(() -> stuck.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .satisfies(e -> assertThat(((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.JOB_TIMEOUT));
            await().atMost(Duration.ofMinutes(1)).until(() -> procs.workers().stream().anyMatch(w -> w.pid() != first && !w.isClosed()));
            assertThat(procs.submit(newJob(FaultJobs::slow, "after", 10L)).get(60, TimeUnit.SECONDS)).isEqualTo("after");
        }
    }

    @Test
    void spawnedWorkerFrozenPastItsLeaseIsReplacedByItsManager() throws Exception {
        try (ProcessManager procs = processes(1)) {
            long first = procs.workerPids().get(0);
            long osPid = Long.parseLong(workerField(first, "ospid"));
            JobFuture<Object> job = procs.submit(newJob(FaultJobs::slow, "frozen-spawned", 2000L));
            await().atMost(Duration.ofSeconds(30)).until(() -> workerField(first, "job") != null);
            signal("STOP", osPid);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> "dead".equals(workerField(first, "state")));
            } finally {
                signal("CONT", osPid);
            }

            // Thawed, it finds it was reaped and exits; its manager lists a fresh worker instead.
            assertThat(job.get(90, TimeUnit.SECONDS)).isEqualTo("frozen-spawned");
            await().atMost(Duration.ofMinutes(1)).until(() -> procs.workers().stream().anyMatch(w -> w.pid() != first && !w.isClosed()));
            assertThat(ProcessHandle.of(osPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(procs.submit(newJob(FaultJobs::slow, "after", 10L)).get(60, TimeUnit.SECONDS)).isEqualTo("after");
        }
    }

    private static void signal(String name, long osPid) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(osPid)).start().waitFor(10, TimeUnit.SECONDS);
    }

    private String workerField(long pid, String field) {
        try (Redis redis = new Redis(TestRedis.url(), 1)) {
            return redis.hget(new FleetKeys(fleet).worker(pid), field);
        }
    }
}
