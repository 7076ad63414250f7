package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shards of a fleet in a real Redis: the count setting (raised only, checked when read),
 * pids and shared values kept fleet-wide on shard 0, where a new worker goes, and look-ups that
 * find a job or a worker on whichever shard holds it.
 */
class FleetShardsIT {

    private static FleetShards shards(Redis redis, String fleet) {
        FleetShards shards = new FleetShards(redis, fleet, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
        shards.refresh();
        return shards;
    }

    @Test
    void theCountIsShardZerosSettingRaisedOnlyAndCheckedWhenRead() {
        try (Redis redis = new Redis(TestRedis.url(), 2)) {
            String fleet = TestRedis.uniqueFleet("shards-count");
            FleetShards shards = shards(redis, fleet);
            assertThat(shards.count()).isEqualTo(1);
            shards.backlogLimit(7);
            shards.raiseTo(3);
            assertThat(shards.count()).isEqualTo(3);
            assertThat(redis.hget(new FleetKeys(fleet).settings(), FleetShards.SETTING)).isEqualTo("3");
            assertThat(shards.shard(2).keys().prefix()).isEqualTo("pp:{" + fleet + "/2}:");
            assertThat(shards.shard(2).backlogLimit()).as("a new shard gets shard 0's backlog limit").isEqualTo(7);
            assertThat(shards(redis, fleet).count()).as("another reader").isEqualTo(3);
            assertThatThrownBy(() -> shards.raiseTo(2)).isInstanceOf(ProcessError.class).hasMessageContaining("never falls");
            assertThatThrownBy(() -> shards.raiseTo(FleetShards.MAX + 1)).isInstanceOf(IllegalArgumentException.class);

            redis.hset(new FleetKeys(fleet).settings(), Map.of(FleetShards.SETTING, "many"));
            assertThatThrownBy(() -> shards(redis, fleet)).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("'many'").hasMessageContaining(new FleetKeys(fleet).settings());
        }
    }

    @Test
    void pidsAndSharedValuesAreFleetWideAndEachShardKeepsItsOwnJobs() {
        try (Redis redis = new Redis(TestRedis.url(), 2)) {
            String fleet = TestRedis.uniqueFleet("shards-wide");
            FleetShards shards = shards(redis, fleet);
            shards.raiseTo(2);
            Fleet first = shards.shard(0);
            Fleet second = shards.shard(1);
            long a = first.newPid();
            long b = registered(second);
            assertThat(b).isEqualTo(a + 1);
            assertThat(shards.of(b)).isSameAs(second);
            assertThat(shards.of(a)).as("an unknown pid").isSameAs(first);

            second.putValue("answer", 42);
            assertThat(first.fetchValue("answer")).isEqualTo("42");
            assertThat(second.increment("n", 2)).isEqualTo(2);
            assertThat(first.increment("n", 1)).isEqualTo(3);

            JobIds ids = new JobIds();
            JobPayload job = JobPayloads.lambda((java.io.Serializable & java.util.concurrent.Callable<Integer>) () -> 1, List.of())
                    .placed(ids.next(), ids.managerId());
            second.place(List.of(new Placement(job, "", Placement.OPEN, Placement.BACKLOG)), null, java.time.Duration.ZERO);
            assertThat(shards.holding(job.id())).contains(second);
            assertThat(first.job(job.id())).isEmpty();
            assertThat(shards.missingJobs(List.of(job.id(), "nobody.1"))).containsExactly("nobody.1");
        }
    }

    @Test
    void aNewWorkerJoinsTheShardWhoseBacklogMostNeedsWorkers() {
        try (Redis redis = new Redis(TestRedis.url(), 2)) {
            String fleet = TestRedis.uniqueFleet("shards-join");
            FleetShards shards = shards(redis, fleet);
            shards.raiseTo(3);
            registered(shards.shard(0));
            registered(shards.shard(2));
            assertThat(shards.forNewWorker()).as("the one shard without workers").isSameAs(shards.shard(1));
            registered(shards.shard(1));
            redis.rpush(shards.shard(2).keys().backlog(), "x.1", "x.2", "x.3");
            assertThat(shards.forNewWorker()).as("the shard with the most backlog per worker").isSameAs(shards.shard(2));
        }
    }

    /** @return the pid of a worker slot newly registered on that shard (fleet-wide pid, any job type) */
    private static long registered(Fleet shard) {
        long pid = shard.newPid();
        shard.register(pid, Map.of("name", "w-" + pid, "types", ","));
        return pid;
    }
}
