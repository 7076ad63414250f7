package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.ProcessError;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReaperIT {

    private static final Duration LEASE = Duration.ofMillis(300);

    private Redis redis;
    private Fleet fleet;
    private FleetKeys keys;

    @BeforeEach
    void connect() {
        redis = new Redis(TestRedis.url(), 4);
        keys = new FleetKeys(TestRedis.uniqueFleet("reaper"));
        fleet = new Fleet(redis, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
    }

    @AfterEach
    void disconnect() {
        redis.close();
    }

    private long register() {
        long pid = fleet.newPid();
        assertThat(fleet.register(pid, Map.of("name", "w-" + pid, "types", ",echo,"))).isNull();
        return pid;
    }

    static String payload(String id, int retries, int maxDeliveries, boolean pinned) {
        return Json.write(new JobPayload(JobPayload.VERSION, id, "m1", JobPayload.TYPE, "echo", null, null, null,
                null, null, null, List.of(), null, null, retries, maxDeliveries, pinned));
    }

    private static String payload(String id) {
        return payload(id, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false);
    }

    private QueueEntry fetchAndStart(long pid, String jobId) {
        Fleet.Taken taken = fleet.take(pid);
        assertThat(taken.entry().text()).contains(jobId);
        assertThat(taken.start().deliveries()).isPositive();
        return taken.entry();
    }

    /** Ticks (keeping the living alive) until the reaper has reaped {@code dead}. */
    private Fleet.Reaped reapUntilGone(long dead, long... living) {
        Reaper reaper = new Reaper(fleet, LEASE, Duration.ofMillis(1), "test");
        Fleet.Reaped[] last = new Fleet.Reaped[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            fleet.heartbeat(java.util.Arrays.stream(living).boxed().toList());
            last[0] = reaper.tick();
            return last[0].reaped().contains(dead);
        });
        return last[0];
    }

    private List<Outcome> completions() {
        return redis.lrange(keys.completions("m1")).stream().map(o -> Json.read(o, Outcome.class)).toList();
    }

    @Test
    void requeuesInFlightAndQueuedJobsWhenWorkerHeartbeatExpires() {
        long dead = register();
        long alive = register();
        fleet.place(List.of(Placement.onWorker("a", payload("a"), "", "m1", dead),
                Placement.onWorker("b", payload("b"), "", "m1", dead)), null);
        QueueEntry a = fetchAndStart(dead, "a");

        Fleet.Reaped r = reapUntilGone(dead, alive);

        assertThat(r.moved()).isEqualTo(2);
        assertThat(fleet.livePids()).containsExactly(alive);
        assertThat(redis.lrange(keys.inFlight(dead))).isEmpty();
        assertThat(redis.lrange(keys.pending(alive))).hasSize(1);
        assertThat(redis.lrange(keys.backlog())).hasSize(1);
        assertThat(redis.hget(keys.job("a"), "rehomed")).isEqualTo("1");
        assertThat(redis.hget(keys.worker(dead), "state")).isEqualTo("dead");
        // The reaped worker learns it is gone from its next heartbeat, and its late completion is refused.
        assertThat(fleet.heartbeat(List.of(dead))).containsExactly(dead);
        assertThat(fleet.finish(dead, a, Outcome.success("a", dead, Json.tree(1), 1), "m1", null).accepted()).isFalse();
        assertThat(fleet.staleFinishes()).isEqualTo(1);
        assertThat(redis.hget(keys.job("a"), "outcome")).isNull();
    }

    @Test
    void pinnedJobOfDeadWorkerFailsWithWorkerLost() {
        long dead = register();
        long alive = register();
        fleet.place(List.of(Placement.onWorker("p", payload("p", 0, 3, true), "", "m1", dead)), null);
        fetchAndStart(dead, "p");

        reapUntilGone(dead, alive);

        assertThat(completions()).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo("WORKER_LOST");
            assertThat(o.jobId()).isEqualTo("p");
        });
        assertThat(redis.llen(keys.pending(alive))).isZero();
    }

    @Test
    void jobThatKillsEveryWorkerIsDeadLetteredAsPoisonAfterItsLimit() {
        fleet.place(List.of(new Placement("x", payload("x", 0, 2, false), "", "m1", Placement.BACKLOG, Placement.BACKLOG)), null);
        long first = fleet.newPid();
        fleet.start(first, fleet.register(first, Map.of("name", "first")), "x", "x");
        reapUntilGone(first);
        long second = fleet.newPid();
        fleet.start(second, fleet.register(second, Map.of("name", "second")), "x", "x");
        Fleet.Reaped r = reapUntilGone(second);

        assertThat(r.poisoned()).isEqualTo(1);
        assertThat(fleet.deadLetters()).singleElement().asString().contains("POISON").contains("\"jobId\":\"x\"");
        assertThat(completions()).singleElement().extracting(Outcome::reason).isEqualTo("POISON");
        assertThat(redis.hget(keys.job("x"), "state")).isEqualTo("failed");
        assertThat(redis.llen(keys.backlog())).isZero();
    }

    @Test
    void takeRefusesJobDeliveredMoreThanItsLimitAsPoison() {
        long pid = register();
        fleet.place(List.of(Placement.onWorker("y", payload("y", 0, 1, false), "", "m1", pid)), null);
        redis.hset(keys.job("y"), Map.of("deliveries", "1"));

        assertThat(fleet.take(pid)).as("the poison job is dropped, nothing else waits").isNull();

        assertThat(redis.lrange(keys.inFlight(pid))).isEmpty();
        assertThat(redis.lrange(keys.openWorkers())).containsExactly(Long.toString(pid));
        assertThat(completions()).singleElement().extracting(Outcome::reason).isEqualTo("POISON");
    }

    @Test
    void deadLettersCanBeRequeuedAndPurged() {
        long pid = register();
        fleet.place(List.of(Placement.onWorker("y", payload("y", 0, 1, false), "", "m1", pid)), null);
        redis.hset(keys.job("y"), Map.of("deliveries", "1"));
        assertThat(fleet.take(pid)).as("poison").isNull();
        redis.rpush(keys.deadLetter(), "not json at all");

        assertThat(fleet.requeueDeadLetters()).isEqualTo(1);

        assertThat(redis.lrange(keys.pending(pid))).singleElement().asString().contains("\"id\":\"y\"");
        assertThat(redis.hgetAll(keys.job("y"))).containsEntry("state", "queued").containsEntry("deliveries", "0")
                .doesNotContainKey("outcome");
        assertThat(fleet.deadLetters()).containsExactly("not json at all");
        assertThat(fleet.purgeDeadLetters()).isEqualTo(1);
        assertThat(fleet.deadLetters()).isEmpty();
    }

    @Test
    void workerIsReapedByItsOwnLeaseNotAShorterOneOfTheReaper() {
        long patient = register();
        long hasty = register();
        redis.hset(keys.worker(patient), Map.of("lease", "3600000"));
        redis.zadd(keys.workers(), 1, Long.toString(patient));
        redis.zadd(keys.workers(), 1, Long.toString(hasty));
        Reaper reaper = new Reaper(fleet, LEASE, Duration.ofMillis(1), "test");

        await().atMost(Duration.ofSeconds(10)).until(() -> reaper.tick().reaped().contains(hasty));

        assertThat(fleet.livePids()).containsExactly(patient);
    }

    @Test
    void onlyOneReaperReapsPerLockPeriod() {
        Reaper one = new Reaper(fleet, LEASE, Duration.ofMinutes(1), "one");
        Reaper two = new Reaper(fleet, LEASE, Duration.ofMinutes(1), "two");
        assertThat(one.tick().kind()).isNotEqualTo(Fleet.Reaped.Kind.SKIPPED);
        assertThat(two.tick().kind()).isEqualTo(Fleet.Reaped.Kind.SKIPPED);
        assertThat(redis.get(keys.reaperLock())).isEqualTo("one");
    }

    @Test
    void changedRedisRunIdGivesEveryWorkerOneLeaseOfGrace() {
        long pid = register();
        redis.zadd(keys.workers(), 0, Long.toString(pid)); // a heartbeat from long ago
        redis.set(keys.redisRunId(), "another-redis");
        Reaper reaper = new Reaper(fleet, LEASE, Duration.ofMillis(1), "test");

        Fleet.Reaped r = reaper.tick();

        assertThat(r.kind()).isEqualTo(Fleet.Reaped.Kind.GRACE);
        assertThat(r.graced()).isEqualTo(1);
        assertThat(redis.zscore(keys.workers(), Long.toString(pid))).isPositive();
        assertThat(redis.get(keys.redisRunId())).isNotEqualTo("another-redis");
        await().atMost(Duration.ofSeconds(5)).until(() -> reaper.tick().kind() == Fleet.Reaped.Kind.REAPED);
        assertThat(fleet.livePids()).containsExactly(pid);
    }

    @Test
    void firstTickOfABrandNewFleetIsNoRestart() {
        long pid = register();
        redis.del(keys.redisRunId());

        Fleet.Reaped first = new Reaper(fleet, LEASE, Duration.ofMillis(1), "test").tick();

        // graced 0: the Reaper logs "Redis ... restarted" only for a run id it saw change.
        assertThat(first.kind()).isEqualTo(Fleet.Reaped.Kind.GRACE);
        assertThat(first.graced()).isZero();
        assertThat(redis.get(keys.redisRunId())).isNotBlank();
        assertThat(fleet.livePids()).containsExactly(pid);
    }

    @Test
    void workersWithOldHeartbeatsSurviveARedisRestartWithAof() {
        try (LocalRedisServer server = LocalRedisServer.start(true); Redis r = new Redis(server.url(), 4)) {
            Fleet f = new Fleet(r, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
            long pid = f.newPid();
            f.register(pid, Map.of("name", "w", "types", ","));
            Reaper reaper = new Reaper(f, LEASE, Duration.ofMillis(1), "test");
            reaper.tick(); // first sight of this Redis: records its run id
            r.zadd(keys.workers(), 0, Long.toString(pid)); // as if the outage lasted far longer than the lease
            server.kill();
            server.restart();

            Fleet.Reaped first = reaper.tick();

            assertThat(first.kind()).isEqualTo(Fleet.Reaped.Kind.GRACE);
            assertThat(f.livePids()).containsExactly(pid);
            assertThat(r.hget(keys.worker(pid), "state")).isEqualTo("idle");
        }
    }

    @Test
    void delayedJobIsPromotedWhenDueByRedisTime() {
        long pid = register();
        fleet.schedule(List.of(new Fleet.Scheduled("now", payload("now"), "m1", Duration.ZERO),
                new Fleet.Scheduled("later", payload("later"), "m1", Duration.ofHours(1))));
        assertThat(redis.hget(keys.job("later"), "state")).isEqualTo("delayed");

        Fleet.Reaped r = new Reaper(fleet, LEASE, "test").tick();

        assertThat(r.promoted()).isEqualTo(1);
        assertThat(redis.lrange(keys.pending(pid))).singleElement().asString().contains("\"id\":\"now\"");
        assertThat(redis.zcard(keys.delayed())).isEqualTo(1);
    }

    @Test
    void failedJobWithRetriesLeftGoesToTheDelayedSetWithBackoff() {
        long pid = register();
        fleet.place(List.of(Placement.onWorker("r", payload("r", 1, 3, false), "", "m1", pid)), null);
        QueueEntry r = fetchAndStart(pid, "r");

        fleet.finish(pid, r, Outcome.thrown("r", pid, new IllegalStateException("boom"), 1), "m1", null);

        assertThat(redis.hgetAll(keys.job("r"))).containsEntry("state", "delayed").containsEntry("attempts", "1")
                .containsEntry("deliveries", "0").doesNotContainKey("outcome");
        assertThat(redis.zcard(keys.delayed())).isEqualTo(1);
        assertThat(completions()).isEmpty();
        assertThat(redis.lrange(keys.openWorkers())).containsExactly(Long.toString(pid));

        // Due after 1 s by Redis's clock; the last attempt's failure is stored and reported.
        Reaper reaper = new Reaper(fleet, Duration.ofHours(1), "test");
        await().atMost(Duration.ofSeconds(10)).until(() -> reaper.tick().promoted() == 1);
        QueueEntry again = fetchAndStart(pid, "r");
        fleet.finish(pid, again, Outcome.thrown("r", pid, new IllegalStateException("boom"), 2), "m1", null);
        assertThat(completions()).singleElement().extracting(Outcome::reason).isEqualTo("JOB_FAILED");
        assertThat(redis.hget(keys.job("r"), "state")).isEqualTo("failed");
    }

    @Test
    void cancelRemovesAQueuedJobAndMarksARunningOne() {
        long pid = register();
        fleet.place(List.of(Placement.onWorker("run", payload("run"), "", "m1", pid),
                Placement.onWorker("wait", payload("wait"), "", "m1", pid)), null);
        QueueEntry run = fetchAndStart(pid, "run");

        assertThat(fleet.cancel("wait", "test")).isEqualTo(Fleet.Cancel.REMOVED);
        assertThat(fleet.cancel("run", "test")).isEqualTo(Fleet.Cancel.INTERRUPTING);
        assertThat(fleet.cancel("nope", "test")).isEqualTo(Fleet.Cancel.UNKNOWN);

        assertThat(redis.llen(keys.pending(pid))).isZero();
        assertThat(redis.hget(keys.job("wait"), "state")).isEqualTo("cancelled");
        assertThat(fleet.cancelRequest(pid)).isEqualTo("run");
        fleet.finish(pid, run, Outcome.thrown("run", pid, new InterruptedException("sleep interrupted"), 1), "m1", null);
        assertThat(redis.hget(keys.job("run"), "state")).isEqualTo("cancelled");
        assertThat(completions()).extracting(Outcome::reason).containsExactly("CANCELLED", "CANCELLED");
        assertThat(fleet.cancel("run", "test")).isEqualTo(Fleet.Cancel.ALREADY_FINISHED);
    }

    @Test
    void payloadOverTheLimitIsRefusedAtPlacementAndAReturnOverItFailsTheJob() {
        Fleet small = new Fleet(redis, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL, 300);
        long pid = register();
        String big = payload("big-" + "x".repeat(400));
        assertThatThrownBy(() -> small.place(List.of(Placement.onWorker("big", big, "", "m1", pid)), null))
                .isInstanceOf(ProcessError.class)
                .extracting(e -> ((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.BAD_PAYLOAD);

        small.place(List.of(Placement.onWorker("s", payload("s"), "", "m1", pid)), null);
        QueueEntry s = fetchAndStart(pid, "s");
        small.finish(pid, s, Outcome.success("s", pid, Json.tree("y".repeat(400)), 1), "m1", null);
        assertThat(completions()).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
            assertThat(o.message()).contains("over the limit of 300");
        });
    }

    @Test
    void finishedJobHashExpiresAfterTheConfiguredTtl() {
        Fleet shortLived = new Fleet(redis, keys, TestSecret.secret(), Duration.ofSeconds(90));
        long pid = register();
        shortLived.place(List.of(Placement.onWorker("t", payload("t"), "", "m1", pid)), null);
        QueueEntry t = fetchAndStart(pid, "t");

        shortLived.finish(pid, t, Outcome.success("t", pid, Json.tree(1), 1), "m1", null);

        assertThat(redis.ttl(keys.job("t"))).isBetween(1L, 90L);
    }

    @Test
    void durabilityCheckNamesTheRedisSettingsThatLoseJobs() {
        try (LocalRedisServer server = LocalRedisServer.start(false); Redis r = new Redis(server.url(), 1)) {
            assertThat(new Fleet(r, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL).durabilityWarnings())
                    .singleElement().asString().contains("appendonly=no").contains("appendonly yes");
        }
        try (LocalRedisServer server = LocalRedisServer.start(true); Redis r = new Redis(server.url(), 1)) {
            assertThat(new Fleet(r, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL).durabilityWarnings()).isEmpty();
        }
    }

    @Test
    void repeatedFinishOfTheSameWorkerIsNotCountedAsALateCompletion() {
        long pid = register();
        fleet.place(List.of(Placement.onWorker("twice", payload("twice"), "", "m1", pid)), null);
        QueueEntry e = fetchAndStart(pid, "twice");
        Outcome o = Outcome.success("twice", pid, Json.tree(2), 1);
        assertThat(fleet.finish(pid, e, o, "m1", null).accepted()).isTrue();

        assertThat(fleet.finish(pid, e, o, "m1", null).accepted()).isTrue();

        assertThat(fleet.staleFinishes()).isZero();
        assertThat(completions()).hasSize(1);
    }

    @Test
    void idleWorkerTakesABacklogJobNobodyOfferedIt() {
        long idle = register();
        // A placement limited to other workers left the job in the backlog while this one idles.
        fleet.place(List.of(new Placement("b", payload("b"), "", "m1", Placement.OPEN, Placement.BACKLOG)), List.of(999L));
        assertThat(redis.lrange(keys.backlog())).hasSize(1);

        Fleet.Taken taken = fleet.take(idle);

        assertThat(taken.entry().text()).contains("\"id\":\"b\"");
        assertThat(taken.start()).isEqualTo(new Fleet.Start(ScriptCode.OK, 1));
        assertThat(redis.lrange(keys.inFlight(idle))).containsExactly(taken.entry().text());
        assertThat(redis.lrange(keys.openWorkers())).isEmpty();
        assertThat(fleet.take(idle)).as("busy now").isNull();
    }
}
