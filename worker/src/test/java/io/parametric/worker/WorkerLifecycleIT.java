package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet tells a running worker what it is: closed by its manager, or declared dead. */
class WorkerLifecycleIT {

    @Test
    void workerClosedByItsManagerFinishesItsJobDeregistersAndExitsZero() {
        String fleet = TestRedis.uniqueFleet("closed");
        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleet, 1)) {
            long pid = w.pid();
            String running = manager.place(pid, JobPayloads.type("sleep", List.of(800L)));
            String queued = manager.place(pid, JobPayloads.type("echo", List.of("moved")));
            await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(manager.state(running)));

            // What a manager's close(pid) does in Redis: the queued job moves on, the worker is closing.
            manager.fleet.rehome(pid, false, "closing", "closed by its manager");

            assertThat(w.awaitExit(Duration.ofSeconds(20))).as(w.log()).isZero();
            Outcome done = manager.next();
            assertThat(done.jobId()).isEqualTo(running);
            assertThat(done.ok()).isTrue();
            assertThat(manager.fleet.workerInfo(pid)).containsEntry("state", "closed");
            assertThat(manager.fleet.livePids()).doesNotContain(pid);
            assertThat(manager.redis.lrange(manager.keys().backlog())).singleElement().asString().contains(queued);
        }
    }

    @Test
    void workerDeclaredDeadRejoinsUnderANewPid() {
        String fleet = TestRedis.uniqueFleet("rejoin");
        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleet, 1, "--name", "phoenix")) {
            long pid = w.pid();
            // What a reaper does to a worker it thinks dead (for example one that was paused).
            manager.fleet.rehome(pid, true, "dead", "missed heartbeats");
            await().atMost(Duration.ofSeconds(15)).until(() -> manager.fleet.livePids().stream().anyMatch(p -> p > pid));
            long rejoined = manager.fleet.livePids().stream().filter(p -> p > pid).findFirst().orElseThrow();
            assertThat(manager.fleet.workerInfo(rejoined)).containsEntry("name", "phoenix-" + rejoined)
                    .containsEntry("ospid", Long.toString(w.process().pid()));
            assertThat(manager.fleet.workerInfo(pid)).containsEntry("state", "dead");
            manager.place(rejoined, JobPayloads.type("add", List.of(2, 2)));
            assertThat(manager.next().value().asInt()).isEqualTo(4);
        }
    }
}
