package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis killed and restarted under a running worker: it waits, reconnects and resumes. */
class RedisRestartIT {

    @Test
    void workerResumesAndFinishesItsRunningJobAfterRedisRestartsWithItsData() {
        String fleet = TestRedis.uniqueFleet("restart-aof");
        try (LocalRedisServer redis = LocalRedisServer.start(true);
                TestManager before = new TestManager(redis.url(), fleet);
                WorkerProcess worker = WorkerProcess.start(redis.url(), fleet, 1)) {
            long pid = worker.pid();
            String running = before.place(pid, JobPayloads.type("sleep", List.of(1500L)));
            await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(before.state(running)));

            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.log().contains("Redis is gone"));
            redis.restart();

            try (TestManager after = new TestManager(redis.url(), fleet, before.managerId)) {
                after.fleet.livePids();
                // The outcome of the job that ran across the outage reaches the manager.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> "done".equals(after.state(running)));
                Outcome o = after.next();
                assertThat(o.jobId()).isEqualTo(running);
                assertThat(o.ok()).isTrue();
                after.place(pid, JobPayloads.type("add", List.of(20, 22)));
                assertThat(after.next().value().asInt()).isEqualTo(42);
                assertThat(after.fleet.workerInfo(pid)).containsEntry("state", "idle");
            }
            assertThat(worker.log()).contains("Redis is back after");
        }
    }

    @Test
    void workerIsNotReadyWhileRedisIsAwayButStaysLive(@TempDir Path run) throws Exception {
        String fleet = TestRedis.uniqueFleet("restart-probes");
        Path alive = run.resolve("alive");
        Path ready = run.resolve("ready");
        try (LocalRedisServer redis = LocalRedisServer.start(true);
                WorkerProcess worker = WorkerProcess.start(redis.url(), fleet, 1, List.of(),
                        Map.of("PP_LIVENESS_FILE", alive.toString(), "PP_READINESS_FILE", ready.toString()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));

            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(ready));
            FileTime during = Files.getLastModifiedTime(alive);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.getLastModifiedTime(alive).compareTo(during) > 0);
            assertThat(ready).doesNotExist();

            redis.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ready));
            assertThat(worker.log()).contains("Redis is gone").contains("PP_REDIS_URL").doesNotContain("pp.redis.url");
        }
    }

    @Test
    void workerRegistersAgainUnderItsPidWhenRedisComesBackEmpty() {
        String fleet = TestRedis.uniqueFleet("restart-empty");
        try (LocalRedisServer redis = LocalRedisServer.start(false);
                WorkerProcess worker = WorkerProcess.start(redis.url(), fleet, 1)) {
            long pid = worker.pid();
            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.log().contains("Redis is gone"));
            redis.restart();
            try (TestManager after = new TestManager(redis.url(), fleet)) {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> after.fleet.livePids().contains(pid));
                assertThat(after.fleet.workerInfo(pid)).containsEntry("pid", Long.toString(pid));
                assertThat(after.fleet.newPid()).isGreaterThan(pid);
                after.place(pid, JobPayloads.type("add", List.of(1, 1)));
                assertThat(after.next().value().asInt()).isEqualTo(2);
            }
            assertThat(worker.log()).contains("Redis is back after").contains("registering again under the same pid");
        }
    }
}
