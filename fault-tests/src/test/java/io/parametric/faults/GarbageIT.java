package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scenario (e): garbage pushed straight into worker lists, entries and job records. */
class GarbageIT {

    private static final List<String> GARBAGE = List.of(
            "", "not json", "{", "[]", "{}", "null", "42", "\"a string\"",
            "{\"v\":1}",
            "{\"v\":99,\"id\":\"g-version\",\"form\":\"type\",\"type\":\"x\"}",
            "{\"v\":1,\"id\":\"g-form\",\"form\":\"shell\"}",
            "{\"v\":1,\"id\":\"g-nohash\",\"form\":\"type\",\"type\":\"nope\",\"args\":[]}",
            "{\"v\":1,\"id\":\"g-lambda\",\"form\":\"lambda\",\"className\":\"java.lang.Runtime\",\"method\":\"halt\","
                    + "\"descriptor\":\"(I)V\",\"refKind\":7,\"fingerprint\":\"00\",\"args\":[1]}",
            "{\"v\":1,\"id\":\"g-record\",\"form\":\"record\",\"className\":\"java.lang.ProcessBuilder\",\"value\":{}}",
            "{\"v\":1,\"id\":1,\"form\":[1,2],\"args\":{\"a\":null}}",
            "\u0000\u0001\u0002 binary \uFFFF",
            "x".repeat(100_000));

    @Test
    void everyWorkerKeepsServingAfterGarbageInItsListsAndJobHashes() throws Exception {
        try (Fleetside side = new Fleetside("e-garbage", TestRedis.url(), TestRedis.uniqueFleet("garbage"));
                ProcessManager procs = connect(side.redisUrl, side.fleet, TestSecret.VALUE)) {
            List<WorkerProcess> workers = side.startWorkers(2);

            // Job hashes with garbage fields, for jobs that are then queued on the workers.
            List<JobFuture<Object>> mangled = new ArrayList<>();
            for (WorkerProcess w : workers) {
                JobFuture<Object> blocker = procs.submit(w.pid(), newJob(FaultJobs::slow, "blocker-" + w.pid(), 1500L));
                await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(side.state(blocker.jobId())));
                JobFuture<Object> a = procs.submit(w.pid(), newJob(FaultJobs::slow, "a-" + w.pid(), 10L));
                JobFuture<Object> b = procs.submit(w.pid(), newJob(FaultJobs::slow, "b-" + w.pid(), 10L));
                JobFuture<Object> c = procs.submit(w.pid(), newJob(FaultJobs::slow, "c-" + w.pid(), 10L));
                side.redis.hset(side.keys.records(), Map.of(a.jobId(), "???|x|not a number|||"));
                side.redis.hset(side.keys.jobs(), Map.of(b.jobId(), "garbage"));
                side.redis.hdel(side.keys.jobs(), c.jobId());
                mangled.addAll(List.of(a, b, c));
                for (String g : GARBAGE) {
                    side.redis.rpush(side.keys.pending(w.pid()), g);
                }
                side.redis.rpush(side.keys.backlog(), "garbage in the backlog " + w.pid());
            }

            // Every worker still answers, each with a job placed on it by pid.
            for (WorkerProcess w : workers) {
                JobFuture<Object> after = procs.submit(w.pid(), newJob(FaultJobs::slow, "after-" + w.pid(), 10L));
                assertThat(after.get(120, TimeUnit.SECONDS)).isEqualTo("after-" + w.pid());
                assertThat(w.isAlive()).isTrue();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(side.inFlightEverywhere()).isEmpty();
                assertThat(side.pendingEverywhere()).isEmpty();
            });
            // Every waiter returns or raises, even for a job whose hash was mangled or deleted.
            await().atMost(Duration.ofSeconds(30)).until(() -> mangled.stream().allMatch(JobFuture::isDone));
            long mangledSettled = mangled.stream().filter(f -> f.isDone()).count();
            int deadLettered = side.redis.lrange(side.keys.deadLetter()).size();
            assertThat(deadLettered).as("unreadable entries are dead-lettered, not dropped silently").isPositive();

            side.figure("garbageEntriesPushed", GARBAGE.size() * workers.size() + workers.size());
            side.figure("jobHashesMangled", mangled.size());
            side.figure("mangledJobsSettled", mangledSettled);
            side.figure("deadLettered", deadLettered);
            side.figure("workersStillServing", workers.size());
            side.report();
        }
    }
}
