package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetIT {

    private Redis redis;
    private Fleet fleet;

    @BeforeEach
    void connect() {
        redis = new Redis(TestRedis.url(), 4);
        fleet = new Fleet(redis, new FleetKeys(TestRedis.uniqueFleet("fleet")), TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
    }

    @AfterEach
    void disconnect() {
        redis.close();
    }

    private long register(String types) {
        long pid = fleet.newPid();
        assertThat(fleet.register(pid, Map.of("name", "w-" + pid, "types", types))).isNull();
        return pid;
    }

    private static String payload(String id) {
        return Json.write(new JobPayload(JobPayload.VERSION, id, "m1", JobPayload.TYPE, "echo", null, null, null,
                null, null, null, List.of(), null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false));
    }

    @Test
    void pidsAreNeverReused() {
        long a = register(",echo,");
        long b = register(",echo,");
        assertThat(b).isGreaterThan(a);
        assertThat(fleet.livePids()).containsExactly(a, b);
        assertThat(fleet.workerInfo(a)).containsEntry("name", "w-" + a).containsEntry("state", "idle");
    }

    @Test
    void placedJobIsFetchedStartedAndFinishedWithTheManagerNotified() {
        long pid = register(",echo,");
        String job = payload("j1");
        assertThat(fleet.place(List.of(Placement.onWorker("j1", job, "echo", "m1", pid)), null)).containsExactly(pid);
        Fleet.Taken taken = fleet.take(pid);
        assertThat(taken).isEqualTo(new Fleet.Taken(QueueEntry.of(job), new Fleet.Start(ScriptCode.OK, 1)));
        QueueEntry fetched = taken.entry();
        Fleet.Finish finish = fleet.finish(pid, fetched, Outcome.success("j1", pid, Json.tree(55), 1), "m1", null);
        assertThat(finish.accepted()).isTrue();
        assertThat(finish.next()).isNull();
        assertThat(redis.lrange(fleet.keys().inFlight(pid))).isEmpty();
        assertThat(redis.lrange(fleet.keys().openWorkers())).containsExactly(Long.toString(pid));
        Outcome notified = Json.read(fleet.nextCompletions("m1", Duration.ofSeconds(1), 1).get(0), Outcome.class);
        assertThat(notified.value().asInt()).isEqualTo(55);
        assertThat(redis.hget(fleet.keys().job("j1"), "state")).isEqualTo("done");
    }

    @Test
    void completionsArePoppedInBatchesOfAtMostMax() {
        String list = fleet.keys().completions("m1");
        redis.rpush(list, "a", "b", "c", "d", "e");
        assertThat(fleet.nextCompletions("m1", Duration.ofSeconds(1), 3)).containsExactly("a", "b", "c");
        assertThat(fleet.nextCompletions("m1", Duration.ofSeconds(1), 3)).containsExactly("d", "e");
        // Longer than the client's socket timeout (2 s): a blocking pop must wait, not fail.
        assertThat(fleet.nextCompletions("m1", Duration.ofMillis(2500), 3)).isEmpty();
        fleet.wakeCompletions("m1", "marker");
        assertThat(fleet.nextCompletions("m1", Duration.ofSeconds(1), 3)).containsExactly("marker");
    }

    @Test
    void backlogJobGoesToTheWorkerThatFreesUpFirst() {
        long pid = register(",echo,");
        fleet.place(List.of(Placement.onWorker("a", payload("a"), "", "m1", pid)), null);
        List<Long> where = fleet.place(List.of(new Placement("b", payload("b"), "", "m1", Placement.OPEN, Placement.BACKLOG)), null);
        assertThat(where).containsExactly(0L);
        QueueEntry a = fleet.take(pid).entry();
        Fleet.Finish finish = fleet.finish(pid, a, Outcome.success("a", pid, Json.tree(1), 1), "m1", null);
        assertThat(finish.next()).isEqualTo(new Fleet.Taken(QueueEntry.of(payload("b")), new Fleet.Start(ScriptCode.OK, 1)));
        assertThat(redis.lrange(fleet.keys().inFlight(pid))).containsExactly(payload("b"));
    }

    @Test
    void finishStartsTheNextQueuedJobInTheSameCallAndSkipsCancelledOnes() {
        long pid = register(",echo,");
        fleet.place(List.of(Placement.onWorker("a", payload("a"), "", "m1", pid),
                Placement.onWorker("gone", payload("gone"), "", "m1", pid),
                Placement.onWorker("c", payload("c"), "", "m1", pid)), null);
        QueueEntry a = fleet.take(pid).entry();
        redis.hset(fleet.keys().job("gone"), Map.of("state", "cancelled"));

        Fleet.Finish finish = fleet.finish(pid, a, Outcome.success("a", pid, Json.tree(1), 1), "m1", null);

        assertThat(finish.next()).as("the cancelled job is dropped, the next one taken")
                .isEqualTo(new Fleet.Taken(QueueEntry.of(payload("c")), new Fleet.Start(ScriptCode.OK, 1)));
        assertThat(redis.hget(fleet.keys().job("c"), "state")).isEqualTo("running");
        assertThat(redis.lrange(fleet.keys().inFlight(pid))).containsExactly(payload("c"));
        assertThat(redis.llen(fleet.keys().pending(pid))).isZero();
    }

    @Test
    void aNextJobWhoseHashCannotBeUpdatedIsHandedOverUnstarted() {
        long pid = register(",echo,");
        fleet.place(List.of(Placement.onWorker("a", payload("a"), "", "m1", pid),
                Placement.onWorker("b", payload("b"), "", "m1", pid)), null);
        QueueEntry a = fleet.take(pid).entry();
        redis.hset(fleet.keys().job("b"), Map.of("deliveries", "not a number"));

        Fleet.Finish finish = fleet.finish(pid, a, Outcome.success("a", pid, Json.tree(1), 1), "m1", null);

        assertThat(finish.accepted()).isTrue();
        assertThat(finish.next()).as("the worker fails it itself").isEqualTo(new Fleet.Taken(QueueEntry.of(payload("b")), null));
        assertThat(redis.hget(fleet.keys().job("a"), "state")).isEqualTo("done");
    }

    @Test
    void placementOnUnknownWorkerOrTypePlacesNothing() {
        long pid = register(",echo,");
        assertThatThrownBy(() -> fleet.place(List.of(
                        Placement.onWorker("a", payload("a"), "", "m1", pid),
                        Placement.onWorker("b", payload("b"), "", "m1", 999_999)), null))
                .isInstanceOf(ProcessError.class)
                .extracting(e -> ((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.NO_SUCH_WORKER);
        assertThatThrownBy(() -> fleet.place(List.of(Placement.onWorker("c", payload("c"), "resize", "m1", pid)), null))
                .hasMessageContaining("resize");
        assertThat(redis.llen(fleet.keys().pending(pid))).isZero();
    }

    @Test
    void rehomeHandsQueuedJobsToOpenWorkersAndFailsPinnedOnes() {
        long busy = register(",echo,");
        long idle = register(",echo,");
        fleet.place(List.of(Placement.onWorker("a", payload("a"), "", "m1", busy)), null);
        Fleet.Rehomed r = fleet.rehome(busy, false, "closed", "closed by test");
        assertThat(r.moved()).isEqualTo(1);
        assertThat(redis.lrange(fleet.keys().pending(idle))).containsExactly(payload("a"));
        assertThat(fleet.livePids()).containsExactly(idle);
    }

    @Test
    void rehomingALongQueueHandsItOnInBoundedCallsAndLeavesNoOrphan() {
        long closing = register(",echo,");
        int queued = ProtocolSettings.REHOME_CHUNK * 2 + 7;
        List<Placement> many = new java.util.ArrayList<>();
        for (int i = 0; i < queued; i++) {
            many.add(Placement.onWorker("q" + i, payload("q" + i), "", "m1", closing));
        }
        fleet.place(many, null);

        Fleet.Rehomed r = fleet.rehome(closing, false, "closed", "closed by test");

        assertThat(r.moved()).isEqualTo(queued);
        assertThat(redis.llen(fleet.keys().backlog())).isEqualTo(queued);
        assertThat(redis.llen(fleet.keys().pending(closing))).isZero();
        assertThat(redis.batch(b -> b.exists(fleet.keys().orphans())).get(0)).as("no orphan left").isIn(false, 0L);
    }

    @Test
    void cancelLeavesATombstoneInALongListThatTheTakingWorkerDrops() {
        long pid = register(",echo,");
        int queued = ProtocolSettings.CANCEL_SCAN_MAX + 2;
        List<Placement> many = new java.util.ArrayList<>();
        for (int i = 0; i < queued; i++) {
            many.add(Placement.onWorker("t" + i, payload("t" + i), "", "m1", pid));
        }
        fleet.place(many, null);

        assertThat(fleet.cancel("t0", "test")).isEqualTo(Fleet.Cancel.REMOVED);

        assertThat(redis.llen(fleet.keys().pending(pid))).as("not scanned").isEqualTo(queued);
        assertThat(redis.hget(fleet.keys().job("t0"), "state")).isEqualTo("cancelled");
        assertThat(fleet.take(pid).entry().text()).as("the tombstone is dropped unrun").isEqualTo(payload("t1"));
    }

    @Test
    void staleFinishIsRefused() {
        long pid = register(",echo,");
        fleet.place(List.of(Placement.onWorker("a", payload("a"), "", "m1", pid)), null);
        QueueEntry a = fleet.take(pid).entry();
        fleet.rehome(pid, true, "dead", "test");
        assertThat(fleet.finish(pid, a, Outcome.success("a", pid, Json.tree(1), 1), "m1", null).accepted()).isFalse();
    }
}
