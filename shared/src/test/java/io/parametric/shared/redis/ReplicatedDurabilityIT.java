package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.testing.RedisProcess;
import io.parametric.shared.testing.TestRedisSentinel;
import io.parametric.shared.testing.TestSecret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pp.durability=replicated} on a Sentinel group: every script is followed by {@code WAIT 1};
 * while no replica acknowledges, scripts still run (on the master alone) and are followed by
 * {@code ROLE} instead, until the replica is back. Counted with the master's command statistics.
 */
class ReplicatedDurabilityIT {

    @BeforeEach
    void replicated() {
        System.setProperty(Durability.PROPERTY, "replicated");
    }

    @AfterEach
    void clear() {
        System.clearProperty(Durability.PROPERTY);
    }

    private static long calls(RedisProcess node, String command) {
        for (String line : node.cli("info", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void scriptsWaitForTheReplicaAndGoOnWithoutItUntilItIsBack() {
        try (TestRedisSentinel group = TestRedisSentinel.start(); Redis redis = new Redis(group.url(), 2)) {
            Fleet fleet = new Fleet(redis, new FleetKeys("durable"), TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
            RedisProcess master = group.master();
            long pid = fleet.newPid();
            fleet.register(pid, Map.of("name", "w", "types", ",echo,"));
            assertThat(group.replica().cli("hget", fleet.keys().worker(pid), "name").trim()).isEqualTo("w");
            fleet.heartbeat(List.of(pid)); // loads the script: its first call finds no library, loads it and is sent again
            long waits = calls(master, "wait");
            fleet.heartbeat(List.of(pid));
            assertThat(calls(master, "wait")).as("WAIT after the script").isEqualTo(waits + 1);

            RedisProcess replica = group.replica();
            replica.kill();
            fleet.heartbeat(List.of(pid));
            assertThat(calls(master, "wait")).as("one WAIT timed out").isEqualTo(waits + 2);
            fleet.heartbeat(List.of(pid));
            fleet.heartbeat(List.of(pid));
            assertThat(calls(master, "wait")).as("no WAIT while no replica acknowledges").isEqualTo(waits + 2);
            assertThat(calls(master, "role")).isGreaterThanOrEqualTo(2);
            assertThat(fleet.livePids()).containsExactly(pid);

            replica.restart();
            group.awaitReplica(replica);
            fleet.heartbeat(List.of(pid));
            fleet.heartbeat(List.of(pid));
            assertThat(calls(master, "wait")).as("WAIT again once ROLE lists the replica").isEqualTo(waits + 3);
        }
    }
}
