package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.FleetStats;
import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedisCluster;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One fleet of three shards on a real Redis Cluster (3 masters, 3 replicas), each shard's slot on
 * another master: its workers spread one per shard, its jobs over the three, a manager sees them
 * all (results, {@code job(id)}, {@code stats()}), and a worker killed mid-job on one shard loses
 * nothing.
 */
class ShardedClusterIT {

    private static final int JOBS = 600;

    private static TestRedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestRedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeShardsOnThreeMastersRunEveryJobWhenAShardsWorkerIsKilledMidJob() throws Exception {
        String fleet = cluster.shardedFleetOnEveryMaster("sharded");
        assertThat(new HashSet<>(List.of(cluster.masterOf(cluster.slotOf(fleet)), cluster.masterOf(cluster.slotOf(fleet + "/1")),
                cluster.masterOf(cluster.slotOf(fleet + "/2"))))).as("the masters of the shards' slots").hasSize(3);
        try (Fleetside side = new Fleetside("cluster-sharded-sigkill", cluster.url(), fleet);
                ProcessManager procs = connect(cluster.url(), fleet, TestSecret.VALUE)) {
            procs.shards(3);
            FleetShards shards = new FleetShards(side.redis, fleet, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
            shards.refresh();
            // Started one after the other, each joins a shard with the fewest workers.
            for (int i = 0; i < 3; i++) {
                side.startWorkers(1);
            }
            for (Fleet shard : shards.all()) {
                assertThat(shard.livePids()).as("workers of shard %d", shard.keys().shard()).hasSize(1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> procs.workerPids().size() == 3);

            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                futures.add(procs.submit(newJob(FaultJobs::square, i)));
            }
            // Kill shard 1's worker mid-job; the worker started in its place joins the shard that has none.
            long victimPid = shards.shard(1).livePids().get(0);
            WorkerProcess victim = side.workers.stream().filter(w -> w.pid() == victimPid).findFirst().orElseThrow();
            String[] running = new String[1];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
                    .until(() -> (running[0] = side.redis.hget(shards.shard(1).keys().worker(victimPid), "job")) != null);
            victim.kill();
            side.workers.remove(victim);
            // Once reaped, shard 1 has no live worker, and a new worker joins such a shard first
            // (until then the killed one still counts, and the shards' scores may tie).
            await().atMost(Duration.ofSeconds(30)).until(() -> !shards.shard(1).livePids().contains(victimPid));
            long replacement = side.startWorkers(1).get(0).pid();
            assertThat(shards.shard(1).livePids()).contains(replacement);

            side.awaitAll(futures, Duration.ofMinutes(3));
            Map<Integer, Integer> perShard = new TreeMap<>();
            for (int i = 0; i < JOBS; i++) {
                assertThat(((Number) futures.get(i).get()).longValue()).as("job %d", i).isEqualTo((long) i * i);
                perShard.merge(shards.holding(futures.get(i).jobId()).orElseThrow().keys().shard(), 1, Integer::sum);
            }
            assertThat(perShard.keySet()).as("shards that ran jobs").containsExactly(0, 1, 2);
            assertThat(perShard.values()).as("jobs per shard").allMatch(n -> n >= JOBS / 6);
            Map<String, Long> runs = side.runs(IntStream.range(0, JOBS).mapToObj(Integer::toString).toList());
            assertThat(runs.values()).as("every job ran at least once").allMatch(n -> n >= 1);
            Outcome killed = shards.shard(1).job(running[0]).map(r -> shards.shard(1).readOutcome(r.outcome())).orElseThrow();
            if (killed.pid() != victimPid) {
                assertThat(shards.shard(1).job(running[0]).orElseThrow().deliveries())
                        .as("job %s ran when its worker was killed, so it was delivered again", running[0]).isGreaterThanOrEqualTo(2);
            }

            // Another manager re-attaches to a job of each shard and sees the whole fleet.
            try (ProcessManager other = connect(cluster.url(), fleet, TestSecret.VALUE)) {
                for (int shard = 0; shard < 3; shard++) {
                    int k = shard;
                    int i = IntStream.range(0, JOBS)
                            .filter(n -> shards.shard(k).job(futures.get(n).jobId()).isPresent()).findFirst().orElseThrow();
                    assertThat(((Number) other.job(futures.get(i).jobId()).get(30, TimeUnit.SECONDS)).longValue()).isEqualTo((long) i * i);
                }
                FleetStats s = other.stats();
                assertThat(s.workers()).hasSize(3);
                assertThat(s.minutes().stream().mapToLong(FleetStats.Minute::done).sum()).isEqualTo(JOBS);
                assertThat(other.workerPids()).hasSize(3);
            }
            for (Fleet shard : shards.all()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(inFlight(side, shard)).isEmpty());
                assertThat(side.redis.lrange(shard.keys().backlog())).isEmpty();
                assertThat(shard.deadLetters()).isEmpty();
            }
            side.figure("shards", 3);
            side.figure("jobsPlaced", JOBS);
            side.figure("jobsPerShard", perShard.values());
            side.figure("workersKilled", 1);
            side.figure("duplicates", runs.values().stream().mapToLong(n -> n - 1).sum());
            side.figure("lost", JOBS - runs.values().stream().filter(n -> n >= 1).count());
            side.report();
        }
    }

    /** @return the ids left in any worker's in-flight list on a shard (pids are fleet-wide) */
    private static List<String> inFlight(Fleetside side, Fleet shard) {
        List<String> left = new ArrayList<>();
        for (long pid : side.allPids()) {
            left.addAll(shard.inFlight(pid));
        }
        return left;
    }
}
