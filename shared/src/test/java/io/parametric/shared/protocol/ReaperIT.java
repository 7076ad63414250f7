package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Protocol 2's reaper, poison, retries, delays, cancel and grace after a Redis restart, on a real Redis. */
class ReaperIT {

    private static final Duration LEASE = Duration.ofMillis(300);

    private TestFleet t;
    private Fleet fleet;
    private FleetKeys keys;

    @BeforeEach
    void connect() {
        t = new TestFleet("reaper");
        fleet = t.fleet;
        keys = t.keys;
    }

    @AfterEach
    void disconnect() {
        t.close();
    }

    /** Ticks (keeping the living alive) until the reaper has reaped {@code dead}. */
    private Fleet.Reaped reapUntilGone(long dead, long... living) {
        Reaper reaper = new Reaper(fleet, LEASE, Duration.ofMillis(1), "test");
        Fleet.Reaped[] last = new Fleet.Reaped[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            fleet.heartbeat(Arrays.stream(living).boxed().toList());
            last[0] = reaper.tick();
            return last[0].reaped().contains(dead);
        });
        return last[0];
    }

    @Test
    void aDeadWorkersInFlightAndQueuedJobsAreHandedOnAndItsLateFinishIsStale() {
        long dead = t.register();
        long alive = t.register();
        List<String> ids = t.placeOn(dead, t.job(), t.job());
        t.takeOne(dead, ids.get(0));

        Fleet.Reaped r = reapUntilGone(dead, alive);

        assertThat(r.moved()).isEqualTo(2);
        assertThat(fleet.livePids()).containsExactly(alive);
        assertThat(t.redis.lrange(keys.inFlight(dead))).isEmpty();
        assertThat(t.redis.lrange(keys.pending(alive))).containsExactly(ids.get(0));
        assertThat(t.redis.lrange(keys.backlog())).containsExactly(ids.get(1));
        assertThat(t.record(ids.get(0))).extracting(JobRecord::state, JobRecord::deliveries).containsExactly("queued", 1L);
        assertThat(fleet.workerState(dead)).contains(WorkerState.DEAD);
        // The reaped worker learns it is gone from its next heartbeat, and its late completion is refused.
        assertThat(fleet.heartbeat(List.of(dead)).gone()).containsExactly(dead);
        assertThat(t.succeed(dead, ids.get(0), 1)).isEqualTo(ScriptCode.STALE);
        assertThat(fleet.staleFinishes()).isEqualTo(1);
        assertThat(t.record(ids.get(0)).ended()).isFalse();
        assertThat(fleet.take(dead, 1).gone()).isTrue();
    }

    @Test
    void jobsADeadWorkerTookInABatchAndNeverStartedGetTheirDeliveryBack() {
        long dead = t.register();
        List<String> ids = t.placeOn(dead, t.job(), t.job(), t.job());
        assertThat(fleet.take(dead, 3).jobs()).extracting(Fleet.TakenJob::attempt).containsExactly(1L, 1L, 1L);

        Fleet.Reaped r = reapUntilGone(dead);

        assertThat(r.moved()).isEqualTo(3);
        assertThat(t.redis.lrange(keys.backlog())).containsExactlyElementsOf(ids);
        assertThat(fleet.records(ids)).extracting(JobRecord::state, JobRecord::deliveries).containsExactly(
                tuple("queued", 1L), tuple("queued", 0L),
                tuple("queued", 0L));
    }

    @Test
    void pinnedJobsOfADeadWorkerFailWithWorkerLost() {
        long dead = t.register();
        long alive = t.register();
        List<String> ids = t.placeOn(dead, t.job(0, 3, true), t.job(0, 3, true));
        t.takeOne(dead, ids.get(0));

        Fleet.Reaped r = reapUntilGone(dead, alive);

        assertThat(r.failed()).isEqualTo(2);
        assertThat(t.completions()).extracting(Outcome::jobId, Outcome::reason).containsExactlyInAnyOrder(
                tuple(ids.get(0), "WORKER_LOST"),
                tuple(ids.get(1), "WORKER_LOST"));
        assertThat(t.redis.llen(keys.pending(alive))).isZero();
        assertThat(t.redis.llen(keys.backlog())).isZero();
    }

    @Test
    void aJobThatKillsEveryWorkerIsDeadLetteredAsPoisonAfterItsLimit() {
        JobPayload x = t.job(0, 2, false);
        assertThat(t.placeOpen(x)).isZero();
        long first = t.register();
        t.takeOne(first, x.id());
        reapUntilGone(first);
        long second = t.register();
        assertThat(t.takeOne(second, x.id()).attempt()).isEqualTo(2);

        Fleet.Reaped r = reapUntilGone(second);

        assertThat(r.poisoned()).isEqualTo(1);
        assertThat(fleet.deadLetters()).singleElement().asString().contains("POISON").contains("\"jobId\":\"" + x.id() + "\"");
        assertThat(t.completions()).singleElement().extracting(Outcome::reason).isEqualTo("POISON");
        assertThat(t.record(x.id()).state()).isEqualTo("failed");
        assertThat(t.redis.llen(keys.backlog())).isZero();
    }

    /** A job over its delivery limit, as a take finds it: its record says it was delivered once already. */
    private String poisonTaken(long pid) {
        String id = t.placeOn(pid, t.job(0, 1, false)).get(0);
        t.redis.hset(keys.records(), Map.of(id, "queued||1|0|0||"));
        assertThat(fleet.take(pid, 1).jobs()).as("the poison job is dropped, nothing else waits").isEmpty();
        return id;
    }

    @Test
    void aTakeRefusesAJobDeliveredMoreThanItsLimitAsPoison() {
        long pid = t.register();

        String id = poisonTaken(pid);

        assertThat(t.redis.lrange(keys.inFlight(pid))).isEmpty();
        assertThat(t.redis.lrange(keys.openWorkers())).containsExactly(Long.toString(pid));
        assertThat(t.completions()).singleElement().extracting(Outcome::jobId, Outcome::reason)
                .containsExactly(id, "POISON");
        assertThat(fleet.deadLetters()).singleElement().asString().contains("POISON");
    }

    @Test
    void deadLettersCanBeRequeuedWithAFreshStartAndPurged() {
        long pid = t.register();
        String id = poisonTaken(pid);
        t.redis.rpush(keys.deadLetter(), "not json at all");

        assertThat(fleet.requeueDeadLetters()).isEqualTo(1);

        assertThat(t.redis.lrange(keys.pending(pid))).containsExactly(id);
        assertThat(fleet.job(id)).contains(JobRecord.QUEUED);
        assertThat(fleet.deadLetters()).containsExactly("not json at all");
        assertThat(t.takeOne(pid, id).attempt()).as("a fresh start").isEqualTo(1);
        assertThat(fleet.purgeDeadLetters()).isEqualTo(1);
        assertThat(fleet.deadLetters()).isEmpty();
    }

    @Test
    void aWorkerIsReapedByItsOwnLeaseNotAShorterOneOfTheReaper() {
        long patient = t.register();
        long hasty = t.register();
        t.redis.hset(keys.worker(patient), Map.of("lease", "3600000"));
        t.redis.zadd(keys.workers(), 1, Long.toString(patient));
        t.redis.zadd(keys.workers(), 1, Long.toString(hasty));
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
        assertThat(t.redis.get(keys.reaperLock())).isEqualTo("one");
    }

    @Test
    void aChangedRedisRunIdGivesEveryWorkerOneLeaseOfGrace() {
        long pid = t.register();
        t.redis.zadd(keys.workers(), 0, Long.toString(pid)); // a heartbeat from long ago
        t.redis.set(keys.redisRunId(), "another-redis");
        Reaper reaper = new Reaper(fleet, LEASE, Duration.ofMillis(1), "test");

        Fleet.Reaped r = reaper.tick();

        assertThat(r.kind()).isEqualTo(Fleet.Reaped.Kind.GRACE);
        assertThat(r.graced()).isEqualTo(1);
        assertThat(t.redis.zscore(keys.workers(), Long.toString(pid))).isPositive();
        assertThat(t.redis.get(keys.redisRunId())).isNotEqualTo("another-redis");
        await().atMost(Duration.ofSeconds(5)).until(() -> reaper.tick().kind() == Fleet.Reaped.Kind.REAPED);
        assertThat(fleet.livePids()).containsExactly(pid);
    }

    @Test
    void theFirstTickOfABrandNewFleetIsNoRestart() {
        long pid = t.register();

        Fleet.Reaped first = new Reaper(fleet, LEASE, Duration.ofMillis(1), "test").tick();

        // graced 0: the Reaper logs "Redis ... restarted" only for a run id it saw change.
        assertThat(first.kind()).isEqualTo(Fleet.Reaped.Kind.GRACE);
        assertThat(first.graced()).isZero();
        assertThat(t.redis.get(keys.redisRunId())).isNotBlank();
        assertThat(fleet.livePids()).containsExactly(pid);
    }

    @Test
    void workersWithOldHeartbeatsAndTheirJobsSurviveARedisRestartWithAof() {
        try (LocalRedisServer server = LocalRedisServer.start(true); Redis r = new Redis(server.url(), 4)) {
            Fleet f = new Fleet(r, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
            long pid = f.newPid();
            f.register(pid, Map.of("name", "w", "types", ",echo,"));
            JobPayload job = t.job();
            f.place(List.of(Placement.onWorker(job, "echo", pid)), null, Duration.ZERO);
            Reaper reaper = new Reaper(f, LEASE, Duration.ofMillis(1), "test");
            reaper.tick(); // first sight of this Redis: records its run id
            r.zadd(keys.workers(), 0, Long.toString(pid)); // as if the outage lasted far longer than the lease
            server.kill();
            server.restart();

            Fleet.Reaped first = reaper.tick();

            assertThat(first.kind()).isEqualTo(Fleet.Reaped.Kind.GRACE);
            assertThat(first.graced()).isEqualTo(1);
            assertThat(f.livePids()).containsExactly(pid);
            assertThat(f.workerState(pid)).contains(WorkerState.BUSY);
            assertThat(f.take(pid, 1).jobs()).extracting(Fleet.TakenJob::id).containsExactly(job.id());
        }
    }

    @Test
    void aDelayedJobIsPromotedWhenDueByRedisTime() {
        long pid = t.register();
        JobPayload now = t.job();
        JobPayload later = t.job();
        fleet.schedule(List.of(new Fleet.Scheduled(now, Duration.ZERO), new Fleet.Scheduled(later, Duration.ofHours(1))));
        assertThat(t.record(later.id()).state()).isEqualTo("delayed");

        Fleet.Reaped r = new Reaper(fleet, LEASE, "test").tick();

        assertThat(r.promoted()).isEqualTo(1);
        assertThat(t.redis.lrange(keys.pending(pid))).containsExactly(now.id());
        assertThat(t.redis.zcard(keys.delayed())).isEqualTo(1);
        assertThat(t.takeOne(pid, now.id()).attempt()).isEqualTo(1);
    }

    @Test
    void aDaemonTicksOncePerLockPeriodUnlessEager() throws Exception {
        long pid = t.register();
        JobPayload first = t.job();
        fleet.schedule(List.of(new Fleet.Scheduled(first, Duration.ZERO)));
        AtomicBoolean eager = new AtomicBoolean(false);
        Reaper reaper = new Reaper(fleet, LEASE, Duration.ofSeconds(30), "test");

        try (AutoCloseable daemon = reaper.startDaemon(Duration.ofMillis(10), eager::get)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> t.redis.zcard(keys.delayed()) == 0);
            assertThat(t.redis.lrange(keys.pending(pid))).containsExactly(first.id());
            fleet.schedule(List.of(new Fleet.Scheduled(t.job(), Duration.ZERO)));
            Thread.sleep(300);
            assertThat(t.redis.zcard(keys.delayed())).as("not eager: no tick within the 30 s lock period").isEqualTo(1);

            eager.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> t.redis.zcard(keys.delayed()) == 0);
        }
    }

    @Test
    void aFailedJobWithRetriesLeftWaitsInTheDelayedSetWithBackoff() {
        long pid = t.register();
        String id = t.placeOn(pid, t.job(1, 3, false)).get(0);
        t.takeOne(pid, id);

        Fleet.Finish first = fleet.finish(pid, TestFleet.unread(Outcome.thrown(id, pid, new IllegalStateException("boom"), 1)), 1);

        assertThat(first.codes()).containsExactly(ScriptCode.RETRY);
        JobRecord delayed = t.record(id);
        assertThat(delayed).extracting(JobRecord::state, JobRecord::attempts, JobRecord::deliveries)
                .containsExactly("delayed", 1L, 0L);
        assertThat(t.redis.zscore(keys.delayed(), id)).isEqualTo((double) delayed.ms());
        assertThat(t.completions()).isEmpty();
        assertThat(t.redis.lrange(keys.openWorkers())).containsExactly(Long.toString(pid));

        // Due after 1 s by Redis's clock; the last attempt's failure is stored and reported.
        Reaper reaper = new Reaper(fleet, Duration.ofHours(1), "test");
        await().atMost(Duration.ofSeconds(10)).until(() -> reaper.tick().promoted() == 1);
        assertThat(t.takeOne(pid, id).attempt()).as("its second run").isEqualTo(2);
        Fleet.Finish last = fleet.finish(pid, TestFleet.unread(Outcome.thrown(id, pid, new IllegalStateException("boom"), 2)), 1);
        assertThat(last.codes()).containsExactly(ScriptCode.OK);
        assertThat(t.completions()).singleElement().extracting(Outcome::reason, Outcome::attempt)
                .containsExactly("JOB_FAILED", 2);
        assertThat(t.record(id)).extracting(JobRecord::state, JobRecord::attempts).containsExactly("failed", 1L);
    }

    @Test
    void cancelFailsAQueuedJobAtOnceAndAsksTheWorkerOfARunningOneToInterruptIt() {
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job());
        String run = ids.get(0);
        String wait = ids.get(1);
        t.takeOne(pid, run);

        assertThat(fleet.cancel(wait, "test")).isEqualTo(Fleet.Cancel.REMOVED);
        assertThat(fleet.cancel(run, "test")).isEqualTo(Fleet.Cancel.INTERRUPTING);
        assertThat(fleet.cancel(t.ids.next(), "test")).isEqualTo(Fleet.Cancel.UNKNOWN);

        assertThat(t.record(wait).state()).isEqualTo("cancelled");
        assertThat(t.record(run).state()).isEqualTo("cancelling");
        assertThat(fleet.cancelRequests(pid)).containsExactly(run);
        Fleet.Finish finish = fleet.finish(pid,
                TestFleet.unread(Outcome.thrown(run, pid, new InterruptedException("sleep interrupted"), 1)), 1);
        assertThat(finish.next().jobs()).as("the tombstone of the queued job is dropped").isEmpty();
        assertThat(t.record(run).state()).isEqualTo("cancelled");
        assertThat(t.completions()).extracting(Outcome::jobId, Outcome::reason).containsExactly(
                tuple(wait, "CANCELLED"), tuple(run, "CANCELLED"));
        assertThat(fleet.cancel(run, "test")).isEqualTo(Fleet.Cancel.ALREADY_FINISHED);
    }

    @Test
    void aReapedWorkerWithMoreThanAChunkQueuedIsHandedOnInBoundedCallsAsAnOrphan() {
        long dead = t.register();
        int queued = ProtocolSettings.REHOME_CHUNK * 2 + 7;
        List<Placement> many = new ArrayList<>();
        for (int i = 0; i < queued; i++) {
            many.add(Placement.onWorker(t.job(), "echo", dead));
        }
        fleet.place(many, null, Duration.ZERO);

        Fleet.Reaped r = reapUntilGone(dead);

        assertThat(r.moved()).as("the reaping call moves one chunk").isEqualTo(ProtocolSettings.REHOME_CHUNK);
        assertThat(r.orphans()).containsExactly(dead);
        assertThat(t.redis.lrange(keys.backlog())).as("the reaper's tick finished the orphan, in order")
                .containsExactlyElementsOf(many.stream().map(Placement::jobId).toList());
        assertThat(t.redis.llen(keys.pending(dead))).isZero();
        assertThat(t.redis.batch(b -> b.exists(keys.orphans())).get(0)).as("no orphan left").isIn(false, 0L);
    }

    @Test
    void theReaperTrimsFinishedRecordsPastTheirAge() {
        Fleet oneSecond = t.withLimits(Duration.ofSeconds(1), fleet.maxPayloadBytes());
        long pid = t.register();
        String id = t.placeOn(pid, t.job()).get(0);
        t.takeOne(pid, id);
        oneSecond.finish(pid, TestFleet.unread(Outcome.success(id, pid, Json.tree(1), 1)), 0);
        assertThat(oneSecond.job(id)).get().extracting(JobRecord::state).isEqualTo("done");
        Reaper reaper = new Reaper(oneSecond, LEASE, "test");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            reaper.tick();
            return oneSecond.job(id).isEmpty();
        });

        assertThat(t.redis.llen(keys.finished())).isZero();
    }

    @Test
    void theDurabilityCheckNamesTheRedisSettingsThatLoseJobs() {
        try (LocalRedisServer server = LocalRedisServer.start(false); Redis r = new Redis(server.url(), 1)) {
            assertThat(new Fleet(r, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL).durabilityWarnings())
                    .singleElement().asString().contains("appendonly=no").contains("appendonly yes");
        }
        try (LocalRedisServer server = LocalRedisServer.start(true); Redis r = new Redis(server.url(), 1)) {
            assertThat(new Fleet(r, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL).durabilityWarnings()).isEmpty();
        }
    }

    @Test
    void anIdleWorkerTakesABacklogJobNobodyOfferedIt() {
        long idle = t.register();
        // A placement limited to other workers left the job in the backlog while this one idles.
        JobPayload b = t.job();
        fleet.place(List.of(new Placement(b, "echo", Placement.OPEN, Placement.BACKLOG)), List.of(999L), Duration.ZERO);
        assertThat(t.redis.lrange(keys.backlog())).containsExactly(b.id());

        Fleet.TakenJob taken = t.takeOne(idle, b.id());

        assertThat(taken.attempt()).isEqualTo(1);
        assertThat(t.redis.lrange(keys.inFlight(idle))).containsExactly(b.id());
        assertThat(t.redis.lrange(keys.openWorkers())).isEmpty();
        assertThat(fleet.take(idle, 1).jobs()).as("the same job, still in flight: nothing new")
                .extracting(Fleet.TakenJob::id).containsExactly(b.id());
    }
}
