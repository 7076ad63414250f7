package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.WorkerState;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cancellation reaches a busy worker through its signals channel, not its heartbeat; a request
 * stored while the worker was not subscribed is read when it subscribes again; a job whose
 * wake-up never came is found by the heartbeat.
 */
class WorkerSignalsIT {

    @Test
    void cancelReachesARunningJobWithoutWaitingForAHeartbeat() {
        String fleet = TestRedis.uniqueFleet("signals");
        // A heartbeat far longer than the job: only the signal can stop the job before it ends.
        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleet, 1, "--heartbeat", "120s", "--lease", "600s")) {
            String running = manager.place(w.pid(), JobPayloads.type("sleep", List.of(120_000L)));
            await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(manager.state(running)));

            assertThat(manager.fleet.cancel(running, "test")).isEqualTo(Fleet.Cancel.INTERRUPTING);

            Outcome o = outcome(manager, running, w);
            assertThat(o.reason()).isEqualTo("CANCELLED");
            assertThat(manager.state(running)).isEqualTo("cancelled");
        }
    }

    @Test
    void cancelStoredWhileTheWorkerWasNotSubscribedIsReadWhenItSubscribesAgain() throws Exception {
        LocalRedisServer server = TestRedis.privateServer();
        String fleet = TestRedis.uniqueFleet("resubscribe");
        try (TestManager manager = new TestManager(server.url(), fleet);
                WorkerProcess w = WorkerProcess.start(server.url(), fleet, 1, "--heartbeat", "120s", "--lease", "600s")) {
            long pid = w.pid();
            String running = manager.place(pid, JobPayloads.type("sleep", List.of(120_000L)));
            await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(manager.state(running)));

            // What cancel.lua stores, without its message: only a re-read can find it.
            JobRecord r = manager.record(running);
            manager.redis.hset(manager.keys().records(), Map.of(running, "cancelling|" + pid + "|" + r.deliveries() + "|0|" + r.ms() + "||"));
            manager.redis.hset(manager.keys().worker(pid), Map.of("cancel", "," + running + ","));
            assertThat(killSubscriptions(server.url())).as("subscribed connections dropped").isPositive();

            assertThat(outcome(manager, running, w).reason()).isEqualTo("CANCELLED");
        }
    }

    @Test
    void aJobQueuedOnAnIdleWorkerWithoutAWakeUpIsFoundByItsHeartbeat() {
        String fleet = TestRedis.uniqueFleet("lost-wakeup");
        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleet, 1, "--heartbeat", "300ms")) {
            long pid = w.pid();
            await().atMost(Duration.ofSeconds(20)).until(() -> manager.fleet.workerState(pid).orElse(null) == WorkerState.IDLE);
            // Stored and queued on the worker as placement does, but its wake-up message is lost.
            String id = manager.submit(JobPayloads.type("echo", List.of("found")));
            assertThat(new String(manager.redis.blockingMoveBytes(manager.keys().backlog(), manager.keys().pending(pid),
                    Duration.ofSeconds(1)), StandardCharsets.UTF_8)).isEqualTo(id);

            Outcome o = outcome(manager, id, w);
            assertThat(o.ok()).isTrue();
            assertThat(o.value().asText()).isEqualTo("found");
        }
    }

    /** Drops every subscribed connection of the Redis (the worker listens again), with redis-cli. */
    private static int killSubscriptions(String url) throws Exception {
        // redis-cli 7 reads no password from redis://:secret@ (an empty user name): name the default user.
        Process p = new ProcessBuilder("redis-cli", "-u", url.replace("redis://:", "redis://default:"), "--no-auth-warning",
                        "CLIENT", "KILL", "TYPE", "pubsub")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return Integer.parseInt(out.replaceAll("\\D", ""));
    }

    private static Outcome outcome(TestManager manager, String jobId, WorkerProcess w) {
        try {
            return manager.outcomeOf(jobId);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the worker's log:\n" + w.log(), e);
        }
    }
}
