package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SIGTERM: stop taking jobs, finish the running one, hand queued jobs to the fleet, exit 0. */
class ShutdownIT {

    private String fleetName;
    private TestManager manager;
    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fleetName = TestRedis.uniqueFleet("shutdown");
        manager = new TestManager(TestRedis.url(), fleetName);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(WorkerProcess::close);
        manager.close();
    }

    private WorkerProcess start(String... flags) {
        WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleetName, 1, flags);
        workers.add(w);
        return w;
    }

    private void awaitRunning(String jobId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(manager.state(jobId)));
    }

    @Test
    void sigtermFinishesTheRunningJobHandsQueuedJobsOnAndExitsZero() {
        WorkerProcess first = start();
        long pid = first.pid();
        String running = manager.place(pid, JobPayloads.type("sleep", List.of(1000L)));
        List<String> queued = manager.placeAll(pid, IntStream.range(0, 5).mapToObj(i -> JobPayloads.type("echo", List.of(i))).toList());
        awaitRunning(running);

        first.terminate();
        assertThat(first.awaitExit(Duration.ofSeconds(20))).as(first.log()).isZero();

        Outcome finished = manager.next();
        assertThat(finished.jobId()).isEqualTo(running);
        assertThat(finished.ok()).isTrue();
        assertThat(finished.pid()).isEqualTo(pid);
        assertThat(manager.redis.lrange(manager.keys().backlog())).hasSize(5);
        assertThat(manager.fleet.livePids()).doesNotContain(pid);
        assertThat(manager.fleet.workerInfo(pid)).containsEntry("state", "closed");
        assertThat(manager.redis.llen(manager.keys().pending(pid))).isZero();
        assertThat(manager.redis.llen(manager.keys().inFlight(pid))).isZero();

        long second = start().pid();
        List<Outcome> rest = manager.next(5, Duration.ofSeconds(20));
        assertThat(rest).extracting(Outcome::jobId).containsExactlyInAnyOrderElementsOf(queued);
        assertThat(rest).allMatch(o -> o.ok() && o.pid() == second);
        Set<String> all = new HashSet<>(queued);
        all.add(running);
        assertThat(all).allSatisfy(id -> assertThat(manager.state(id)).isEqualTo("done"));
    }

    @Test
    void sigtermHandsBackAJobThatOutlivesTheShutdownTimeout() {
        WorkerProcess w = start("--shutdown-timeout", "500ms");
        String slow = manager.place(w.pid(), JobPayloads.type("sleep", List.of(20_000L)));
        awaitRunning(slow);
        w.terminate();
        assertThat(w.awaitExit(Duration.ofSeconds(20))).as(w.log()).isZero();
        assertThat(manager.redis.lrange(manager.keys().backlog())).singleElement().asString().contains(slow);
        assertThat(manager.state(slow)).isEqualTo("queued");
        assertThat(w.log()).contains("did not finish within the shutdown timeout");
    }

    @Test
    void workerExitsWhenItsParentProcessIsGone() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        WorkerProcess w = start("--parent-pid", Long.toString(parent.pid()));
        String queuedBehind = manager.place(w.pid(), JobPayloads.type("sleep", List.of(1500L)));
        String queued = manager.place(w.pid(), JobPayloads.type("echo", List.of("later")));
        awaitRunning(queuedBehind);
        parent.destroyForcibly().waitFor();
        assertThat(w.awaitExit(Duration.ofSeconds(20))).as(w.log()).isZero();
        assertThat(manager.next().jobId()).isEqualTo(queuedBehind);
        assertThat(manager.redis.lrange(manager.keys().backlog())).singleElement().asString().contains(queued);
    }
}
