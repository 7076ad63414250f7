package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@code connect()} manager's cached membership follows the fleet's messages, and hands out the
 * very same list while nothing changes, so placement does not rebuild its view of the workers per job.
 */
class FleetMembersIT {

    @Test
    void theListStaysTheSameUntilAWorkerJoinsOrLeaves() {
        try (Redis redis = new Redis(TestRedis.url(), 4)) {
            FleetShards shards = new FleetShards(redis, TestRedis.uniqueFleet("members"), TestSecret.secret(),
                    Fleet.DEFAULT_JOB_TTL);
            Fleet fleet = shards.base();
            long first = register(fleet);
            try (FleetMembers members = new FleetMembers(shards, Duration.ofMinutes(1))) {
                List<Long> before = members.pids();
                assertThat(before).containsExactly(first);
                assertThat(members.pids()).as("unchanged: the same list").isSameAs(before);

                long second = register(fleet);
                await().atMost(Duration.ofSeconds(10)).until(() -> members.pids().contains(second));
                List<Long> after = members.pids();
                assertThat(after).containsExactly(first, second).isNotSameAs(before);
                assertThat(members.pids()).isSameAs(after);

                fleet.rehome(first, true, "closed", "test");
                await().atMost(Duration.ofSeconds(10)).until(() -> !members.pids().contains(first));
                assertThat(members.pids()).containsExactly(second);
            }
        }
    }

    private static long register(Fleet fleet) {
        long pid = fleet.newPid();
        fleet.register(pid, Map.of("name", "w-" + pid, "types", ","));
        return pid;
    }
}
