package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sharded fleets on one Redis: a fleet never sharded keeps exactly the keys it had (one hash tag,
 * no shard setting); one raised to 3 shards places on the shards its workers joined and sees them
 * all; the count never falls.
 */
@ExtendWith(UsesTestRedis.class)
class ShardedFleetIT {

    @Test
    void aFleetThatIsNotShardedHasOneShardAndNoKeyUnderAnotherHashTag() throws Exception {
        try (ProcessManager procs = processes(1); Redis redis = new Redis(TestRedis.url(), 1)) {
            String fleet = procs.stats().fleet();
            assertThat(procs.submit(newJob(() -> 7)).get(60, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(procs.shards()).isEqualTo(1);
            procs.shards(1);
            FleetKeys keys = new FleetKeys(fleet);
            assertThat(redis.hget(keys.settings(), FleetShards.SETTING)).isNull();
            assertThat(redis.zcard(FleetKeys.shard(fleet, 1).workers())).isZero();
            assertThat(redis.zcard(keys.workers())).isEqualTo(1);
        }
    }

    @Test
    void aFleetRaisedToThreeShardsRunsJobsOnTheShardsItsWorkersJoinedAndSeesThemAll() throws Exception {
        try (ProcessManager procs = processes(1); Redis redis = new Redis(TestRedis.url(), 2)) {
            String fleet = procs.stats().fleet();
            procs.shards(3);
            assertThat(procs.shards()).isEqualTo(3);
            assertThatThrownBy(() -> procs.shards(2)).isInstanceOf(ProcessError.class).hasMessageContaining("never falls");
            assertThatThrownBy(() -> procs.shards(0)).isInstanceOf(IllegalArgumentException.class);
            // Shard 0 has a worker, 1 and 2 none: the next workers join those.
            procs.addWorkers(2);
            FleetShards shards = new FleetShards(redis, fleet, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
            shards.refresh();
            List<Long> onShard0 = shards.shard(0).livePids();
            assertThat(onShard0).hasSize(1);
            assertThat(shards.shard(1).livePids().size() + shards.shard(2).livePids().size()).isEqualTo(2);

            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                int n = i;
                futures.add(procs.submit(newJob(() -> n * 2)));
            }
            Map<Integer, Integer> perShard = new TreeMap<>();
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * 2);
                perShard.merge(shards.holding(futures.get(i).jobId()).orElseThrow().keys().shard(), 1, Integer::sum);
            }
            assertThat(perShard).as("jobs per shard").hasSizeGreaterThan(1);
            perShard.keySet().forEach(k -> assertThat(shards.shard(k).livePids()).as("shard %d has workers", k).isNotEmpty());

            // Jobs for given workers go to their shards; waitFor and getReturn see every shard.
            List<Long> pids = procs.workerPids();
            assertThat(procs.distribute(newJob(() -> 1), newJob(() -> 2), newJob(() -> 3))).containsExactlyElementsOf(pids);
            assertThat(procs.waitFor()).containsExactly(1, 2, 3);
            long elsewhere = shards.shard(1).livePids().isEmpty() ? shards.shard(2).livePids().get(0) : shards.shard(1).livePids().get(0);
            assertThat(procs.submit(elsewhere, newJob(() -> 40)).get(60, TimeUnit.SECONDS)).isEqualTo(40);
            assertThat(procs.getReturn(elsewhere)).containsExactly(40);
            assertThat(shards.shard(0).job(procs.submit(onShard0.get(0), newJob(() -> 5)).jobId())).isPresent();

            FleetStats s = procs.stats();
            assertThat(s.workers()).hasSize(3);
            assertThat(s.minutes().stream().mapToLong(FleetStats.Minute::done).sum()).isGreaterThanOrEqualTo(94);
            assertThat(procs.job(futures.get(89).jobId()).get(10, TimeUnit.SECONDS)).isEqualTo(178);
            assertThat(procs.workerPids()).hasSize(3);
        }
    }
}
