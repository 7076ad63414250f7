package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.testjobs.Work;
import io.parametric.shared.Async;
import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code stats()} reads queues, workers and counters of a live fleet in one snapshot; Worker counts outcomes. */
@ExtendWith(UsesTestRedis.class)
class FleetStatsIT {

    @Test
    void aSnapshotShowsTheRunningJobTheQueuesAndTheCounters() {
        try (ProcessManager procs = processes(2)) {
            long first = procs.workerPids().get(0);
            long second = procs.workerPids().get(1);
            procs.assign(first, newJob(() -> 1));
            procs.assign(second, newJob(Work::fail, "on purpose"));
            assertThatThrownBy(() -> procs.waitFor(Duration.ofSeconds(60))).isInstanceOf(ProcessError.class);

            JobFuture<Object> blocker = procs.submit(first, newJob(Work::sleep, 3000));
            procs.submit(first, newJob(() -> 2));
            procs.submit(second, newJob(Work::sleep, 3000));
            List<JobFuture<Object>> waiting = List.of(procs.submit(newJob(() -> 3)), procs.submit(newJob(() -> 4)));

            await().atMost(Duration.ofSeconds(30)).until(() -> procs.stats().running() == 2);
            FleetStats s = procs.stats();
            assertThat(s.backlog()).isEqualTo(2);
            assertThat(s.dead()).isZero();
            assertThat(s.delayed()).isZero();
            assertThat(s.workers()).extracting(WorkerStats::pid).containsExactly(first, second);
            WorkerStats w1 = s.workers().get(0);
            assertThat(w1.runningJobId()).isEqualTo(blocker.jobId());
            assertThat(w1.runningSince()).isBeforeOrEqualTo(s.at());
            assertThat(w1.state()).isEqualTo("busy");
            assertThat(w1.queued()).isEqualTo(1);
            assertThat(w1.done()).isEqualTo(1);
            assertThat(w1.failed()).isZero();
            assertThat(w1.kind()).isEqualTo("Threaded");
            assertThat(w1.name()).isNotBlank();
            assertThat(w1.heartbeatAge()).isLessThan(Duration.ofSeconds(10));
            assertThat(s.workers().get(1).failed()).isEqualTo(1);
            assertThat(s.minutes()).hasSize(15);
            assertThat(s.minutes().stream().mapToLong(FleetStats.Minute::done).sum()).isEqualTo(1);
            assertThat(s.minutes().stream().mapToLong(FleetStats.Minute::failed).sum()).isEqualTo(1);
            assertThat(s.doneLastMinute()).isBetween(0L, 1L);

            procs.waitFor(Duration.ofSeconds(60));
            waiting.forEach(JobFuture::join);
            assertThat(procs.get(first).done() + procs.get(second).done()).isEqualTo(6);
            assertThat(procs.get(second).failed()).isEqualTo(1);
            FleetStats after = procs.stats();
            assertThat(after.backlog()).isZero();
            assertThat(after.workers()).allSatisfy(w -> {
                assertThat(w.runningJobId()).isNull();
                assertThat(w.state()).isEqualTo("idle");
            });
            assertThat(after.minutes().stream().mapToLong(FleetStats.Minute::done).sum()).isEqualTo(6);
        }
    }

    @Test
    void aWorkerHashWithGarbageCountersDoesNotSpoilTheSnapshot() {
        try (ProcessManager procs = processes(2);
                Redis writer = new Redis(TestRedis.url(), 1)) {
            long first = procs.workerPids().get(0);
            long second = procs.workerPids().get(1);
            procs.assign(second, newJob(() -> 1));
            procs.waitFor(second);
            writer.hset(new FleetKeys(procs.fleetName()).worker(first), Map.of("done", "many", "failed", "x".repeat(64)));

            FleetStats s = procs.stats();

            assertThat(s.workers()).extracting(WorkerStats::pid).containsExactly(first, second);
            assertThat(s.workers().get(0).done()).as("an unreadable counter reads as 0").isZero();
            assertThat(s.workers().get(0).failed()).isZero();
            assertThat(s.workers().get(1).done()).isEqualTo(1);
        }
    }

    @Test
    void aManagerWithoutRedisSaysSoAndItsWorkersStillCount() {
        try (ProcessManager procs = processes(1, Async.class)) {
            long pid = procs.workerPids().get(0);
            procs.assign(pid, newJob(() -> 1));
            procs.waitFor(pid);
            assertThat(procs.get(pid).done()).isEqualTo(1);
            assertThatThrownBy(procs::stats).isInstanceOf(ProcessError.class).hasMessageContaining("stats()");
        }
    }
}
