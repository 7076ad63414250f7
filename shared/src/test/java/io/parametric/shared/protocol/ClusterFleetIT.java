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

    private static String payload(String id) {
        return Json.write(new JobPayload(JobPayload.VERSION, id, "m1", JobPayload.TYPE, "echo", null, null, null,
                null, null, null, List.of(), null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false));
    }

    /** Registers a worker, places a job on it, takes, finishes it and pops the manager's notification. */
    private static void runOneJob(Fleet fleet, String jobId) {
        long pid = fleet.newPid();
        fleet.register(pid, Map.of("name", "w-" + pid, "types", ",echo,"));
        assertThat(fleet.place(List.of(Placement.onWorker(jobId, payload(jobId), "echo", "m1", pid)), null)).containsExactly(pid);
        Fleet.Taken taken = fleet.take(pid);
        assertThat(taken.start().runs()).isTrue();
        assertThat(fleet.finish(pid, taken.entry(), Outcome.success(jobId, pid, Json.tree(55), 1), "m1", null).accepted()).isTrue();
        assertThat(Json.read(fleet.nextCompletions("m1", Duration.ofSeconds(5), 1).get(0), Outcome.class).jobId())
                .isEqualTo(jobId);
        assertThat(fleet.jobField(List.of(jobId), "state")).containsExactly("done");
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
        assertThat(masterA.cli("exists", new FleetKeys(a).job("ja")).trim()).isEqualTo("1");
        assertThat(masterB.cli("exists", new FleetKeys(b).job("jb")).trim()).isEqualTo("1");
        assertThat(fleet(a).statsSnapshot(1)).isNotEmpty();
    }

    @Test
    void aScriptWithoutKeysIsRefusedBecauseItCannotBeRouted() {
        LuaScript place = LuaScript.load("place-0.lua");
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
        assertThat(fleet.jobField(List.of("before"), "state")).containsExactly("done");
        runOneJob(fleet, "after-move");
        assertThat(cluster.node(to).cli("exists", fleet.keys().job("after-move")).trim()).isEqualTo("1");

        // A replica of the new master takes over (CLUSTER FAILOVER): the old master answers MOVED.
        RedisProcess replica = cluster.nodes().stream()
                .filter(n -> n.isRunning() && n.cli("role").startsWith("slave") && n.cli("info", "replication").contains("master_port:" + to))
                .findFirst().orElseThrow();
        replica.cli("cluster", "failover");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.masterOf(slot) == replica.port());
        cluster.awaitOk();
        runOneJob(fleet, "after-failover");
        assertThat(fleet.jobField(List.of("before", "after-move", "after-failover"), "state")).containsExactly("done", "done", "done");
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
