package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.redis.LuaScript;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.redis.Subscription;
import io.parametric.shared.testing.RedisProcess;
import io.parametric.shared.testing.TestRedisCluster;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol on a real 3-master, 3-replica Redis Cluster: routing by slot, MOVED, pub/sub, blocking pops. */
class ClusterFleetIT {

    private static TestRedisCluster cluster;
    private static Redis redis;

    @BeforeAll
    static void startCluster() {
        cluster = TestRedisCluster.start();
        redis = new Redis(cluster.url(), 8);
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Fleet fleet(String name) {
        return new Fleet(redis, new FleetKeys(name), TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
    }

    private static JobPayload payload(String id) {
        return new JobPayload(JobPayload.VERSION, id, "m1", JobPayload.TYPE, "echo", null, null, null,
                null, null, null, List.of(), null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false);
    }

    private static String state(Fleet fleet, String jobId) {
        return fleet.job(jobId).map(JobRecord::state).orElse(null);
    }

    /** Registers a worker, places a job on it, takes, finishes it and pops the manager's notification. */
    private static void runOneJob(Fleet fleet, String jobId) {
        long pid = fleet.newPid();
        fleet.register(pid, Map.of("name", "w-" + pid, "types", ",echo,"));
        assertThat(fleet.place(List.of(Placement.onWorker(payload(jobId), "echo", pid)), null, Duration.ZERO))
                .extracting(Fleet.Placed::pid).containsExactly(pid);
        Fleet.Taken taken = fleet.take(pid, 1);
        assertThat(taken.jobs()).extracting(Fleet.TakenJob::id).containsExactly(jobId);
        assertThat(fleet.finish(pid, TestFleet.unread(Outcome.success(jobId, pid, Json.tree(55), 1)), 1).codes())
                .containsExactly(ScriptCode.OK);
        assertThat(fleet.readOutcome(fleet.nextCompletions("m1", Duration.ofSeconds(5), 1).get(0)).jobId())
                .isEqualTo(jobId);
        assertThat(state(fleet, jobId)).isEqualTo("done");
    }

    @Test
    void fleetsOnDifferentMastersKeepEveryKeyOnTheirOwnMaster() {
        String a = cluster.fleetOnMaster(0, "route-a");
        String b = cluster.fleetOnMaster(1, "route-b");
        runOneJob(fleet(a), "ja");
        runOneJob(fleet(b), "jb");

        RedisProcess masterA = cluster.node(cluster.masterOf(cluster.slotOf(a)));
        RedisProcess masterB = cluster.node(cluster.masterOf(cluster.slotOf(b)));
        assertThat(masterA.port()).isNotEqualTo(masterB.port());
        assertThat(masterA.cli("hexists", new FleetKeys(a).records(), "ja").trim()).isEqualTo("1");
        assertThat(masterB.cli("hexists", new FleetKeys(b).records(), "jb").trim()).isEqualTo("1");
        assertThat(fleet(a).statsSnapshot(1)).isNotEmpty();
    }

    @Test
    void aScriptWithoutKeysIsRefusedBecauseItCannotBeRouted() {
        LuaScript place = LuaScript.load("place.lua");
        assertThatThrownBy(() -> redis.eval(place, List.of(), List.of("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be routed on a Redis Cluster");
    }

    @Test
    void commandsFollowTheFleetsSlotWhenItMovesAtRestAndAfterAFailover() {
        String name = cluster.fleetOnMaster(2, "moving");
        Fleet fleet = fleet(name);
        runOneJob(fleet, "before");
        int slot = cluster.slotOf(name);
        int from = cluster.masterOf(slot);
        int to = cluster.masterPorts().stream().filter(p -> p != from).findFirst().orElseThrow();

        cluster.moveSlot(slot, to);
        // The client's slot map still names the old master: MOVED, then the new layout.
        assertThat(state(fleet, "before")).isEqualTo("done");
        runOneJob(fleet, "after-move");
        assertThat(cluster.node(to).cli("hexists", fleet.keys().records(), "after-move").trim()).isEqualTo("1");

        // A replica of the new master takes over (CLUSTER FAILOVER): the old master answers MOVED.
        RedisProcess replica = cluster.nodes().stream()
                .filter(n -> n.isRunning() && n.cli("role").startsWith("slave") && n.cli("info", "replication").contains("master_port:" + to))
                .findFirst().orElseThrow();
        replica.cli("cluster", "failover");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.masterOf(slot) == replica.port());
        cluster.awaitSettled();
        runOneJob(fleet, "after-failover");
        assertThat(fleet.records(List.of("before", "after-move", "after-failover"))).extracting(JobRecord::state)
                .containsExactly("done", "done", "done");
    }

    @Test
    void aSubscriptionHearsMessagesPublishedOnAnyNode() throws Exception {
        String name = cluster.fleetOnMaster(0, "signals");
        String channel = new FleetKeys(name).signals(1);
        List<String> heard = new CopyOnWriteArrayList<>();
        Subscription subscription = new Subscription((c, m) -> heard.add(m), () -> heard.add("subscribed"));
        Thread listener = new Thread(() -> redis.listen(subscription, List.of(channel)));
        listener.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("subscribed"));
        // Published on another master: a cluster hands PUBLISH to every node.
        int elsewhere = cluster.masterPorts().get(1);
        cluster.node(elsewhere).cli("publish", channel, "j");
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("j"));
        subscription.close();
        listener.join(10_000);
        assertThat(listener.isAlive()).isFalse();
    }
}
