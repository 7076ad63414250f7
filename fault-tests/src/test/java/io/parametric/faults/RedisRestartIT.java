package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Scenario (b): Redis killed and restarted from its AOF while jobs run. */
class RedisRestartIT {

    private static final int JOBS = 400;

    @Test
    void nothingIsLostAndEveryWorkerResumesAfterRedisRestartsWithAof() throws Exception {
        try (LocalRedisServer server = LocalRedisServer.start(true);
                Fleetside side = new Fleetside("b-redis-restart", server.url(), "restart");
                ProcessManager procs = connect(server.url(), "restart", TestSecret.VALUE)) {
            List<WorkerProcess> workers = side.startWorkers(3);
            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                futures.add(procs.submit(newJob(FaultJobs::square, i)));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> futures.stream().filter(CompletableFuture::isDone).count() >= JOBS / 3);

            server.kill();
            // Manager calls during the outage fail fast, naming the cause; nothing placed before is lost.
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> procs.submit(newJob(FaultJobs::slow, "during", 10L)).join())
                    .cause().isInstanceOf(ProcessError.class)
                    .satisfies(e -> assertThat(((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.REDIS_UNAVAILABLE));
            long failFastMs = (System.nanoTime() - t0) / 1_000_000;
            // Down for longer than a heartbeat, so every worker meets the outage.
            await().pollDelay(WorkerProcess.HEARTBEAT.multipliedBy(3)).until(() -> true);
            server.restart();

            side.awaitAll(futures, Duration.ofMinutes(2));
            for (int i = 0; i < JOBS; i++) {
                assertThat(((Number) futures.get(i).get()).longValue()).isEqualTo((long) i * i);
            }
            // Every worker resumed: each runs a job placed on it after the restart.
            for (WorkerProcess w : workers) {
                assertThat(w.isAlive()).isTrue();
                assertThat(procs.submit(w.pid(), newJob(FaultJobs::slow, "after-" + w.pid(), 10L)).get(60, TimeUnit.SECONDS))
                        .isEqualTo("after-" + w.pid());
            }
            Map<String, Long> runs = side.runs(IntStream.range(0, JOBS).mapToObj(Integer::toString).toList());
            assertThat(runs.values()).allMatch(n -> n >= 1);
            assertThat(side.inFlightEverywhere()).isEmpty();
            assertThat(side.redis.lrange(side.keys.backlog())).isEmpty();

            side.figure("jobsPlaced", JOBS);
            side.figure("redisRestarts", 1);
            side.figure("workersResumed", workers.size());
            side.figure("duplicates", runs.values().stream().mapToLong(n -> n - 1).sum());
            side.figure("lost", 0);
            side.figure("managerCallDuringOutageFailedAfterMs", failFastMs);
            side.report();
        }
    }

    @Test
    void waitersRaiseInsteadOfHangingWhenRedisRestartsWithoutItsData() throws Exception {
        try (LocalRedisServer server = LocalRedisServer.start(false);
                Fleetside side = new Fleetside("b2-redis-restart-no-aof", server.url(), "amnesia");
                ProcessManager procs = connect(server.url(), "amnesia", TestSecret.VALUE)) {
            WorkerProcess w = side.startWorkers(1).get(0);
            JobFuture<Object> running = procs.submit(w.pid(), newJob(FaultJobs::slow, "running", 5000L));
            JobFuture<Object> queued = procs.submit(w.pid(), newJob(FaultJobs::slow, "queued", 10L));
            await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(side.state(running.jobId())));

            server.kill();
            server.restart(); // empty: no AOF

            for (JobFuture<Object> f : List.of(running, queued)) {
                assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class)
                        .cause().satisfies(e -> {
                            assertThat(((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.REDIS_UNAVAILABLE);
                            assertThat(e.getMessage()).contains("appendonly yes");
                        });
            }
            // The worker registers again and serves new jobs.
            await().atMost(Duration.ofSeconds(60)).until(() -> !side.redis.zrange(side.keys.workers()).isEmpty());
            assertThat(procs.submit(newJob(FaultJobs::slow, "after", 10L)).get(60, TimeUnit.SECONDS)).isEqualTo("after");
            side.figure("jobsPlaced", 3);
            side.figure("jobsLostWithRedisData", 2);
            side.figure("waitersHung", 0);
            side.report();
        }
    }
}
