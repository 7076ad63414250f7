package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.manager.Worker;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers spawned by {@code processes(4)} against a Redis with AOF; while 1,000 jobs run, spawned
 * workers are SIGKILLed and Redis is SIGKILLed and restarted, once together with a worker.
 */
class ChaosIT {

    private static final int JOBS = 1000;

    @AfterEach
    void forget() {
        System.clearProperty("pp.redis.url");
        System.clearProperty("pp.fleet");
    }

    @Test
    void nothingIsLostWhenSpawnedWorkersAndRedisAreKilledWhileJobsRun() throws Exception {
        String fleet = TestRedis.uniqueFleet("chaos");
        Random random = new Random(42);
        try (LocalRedisServer server = LocalRedisServer.start(true)) {
            System.setProperty("pp.redis.url", server.url());
            System.setProperty("pp.fleet", fleet);
            try (ProcessManager procs = processes(4); Fleetside side = new Fleetside("i-chaos", server.url(), fleet)) {
                List<JobFuture<Object>> futures = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) {
                    futures.add(procs.submit(newJob(FaultJobs::square, i)));
                }
                int workersKilled = 0;
                int redisKills = 0;
                for (int step = 1; step <= 4; step++) {
                    int target = step * JOBS / 5;
                    await().atMost(Duration.ofMinutes(2)).until(() -> futures.stream().filter(CompletableFuture::isDone).count() >= target);
                    if (step % 2 == 1 || step == 4) {
                        killOneWorker(procs, side, random);
                        workersKilled++;
                    }
                    if (step % 2 == 0) {
                        server.kill();
                        server.restart();
                        redisKills++;
                    }
                }

                side.awaitAll(futures, Duration.ofMinutes(3));
                for (int i = 0; i < JOBS; i++) {
                    assertThat(((Number) futures.get(i).get()).longValue()).as("job %d", i).isEqualTo((long) i * i);
                }
                Map<String, Long> runs = side.runs(IntStream.range(0, JOBS).mapToObj(Integer::toString).toList());
                assertThat(runs.values()).allMatch(n -> n >= 1);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(side.inFlightEverywhere()).isEmpty());
                assertThat(side.redis.lrange(side.keys.backlog())).isEmpty();
                // The last replacement may still be starting (Redis was down when its predecessor died).
                await().atMost(Duration.ofMinutes(1)).until(() -> procs.workers().stream().filter(w -> !w.isClosed()).count() == 4);

                side.figure("jobsPlaced", JOBS);
                side.figure("resultsRetrieved", JOBS);
                side.figure("spawnedWorkersKilled", workersKilled);
                side.figure("replacedByManager", procs.workers().size() - 4);
                side.figure("redisKilledAndRestarted", redisKills);
                side.figure("duplicates", runs.values().stream().mapToLong(n -> n - 1).sum());
                side.figure("lost", runs.values().stream().filter(n -> n == 0).count());
                side.report();
            }
        }
    }

    private static void killOneWorker(ProcessManager procs, Fleetside side, Random random) {
        List<Worker<?>> live = procs.workers().stream().filter(w -> !w.isClosed()).toList();
        Worker<?> victim = live.get(random.nextInt(live.size()));
        String osPid = side.redis.hget(side.keys.worker(victim.pid()), "ospid");
        ProcessHandle.of(Long.parseLong(osPid)).ifPresent(ProcessHandle::destroyForcibly);
    }
}
