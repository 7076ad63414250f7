package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Scenario (a): workers SIGKILLed mid-job under load; nothing is lost. */
class WorkerKillsIT {

    private static final int JOBS = 2000;
    private static final int WORKERS = 4;
    private static final int KILL_EVERY = 300;

    @Test
    void everyJobFinishesWhileWorkersAreKilledMidJob() throws Exception {
        killWorkersUnderLoad("a-sigkill-under-load", TestRedis.url(), TestRedis.uniqueFleet("kills"), JOBS, WORKERS, KILL_EVERY);
    }

    /**
     * The scenario on any Redis and fleet: a connected manager places {@code jobs} jobs on
     * {@code workers} standalone worker processes, one caught mid-job is SIGKILLed (and replaced)
     * every {@code killEvery} results; every job returns its result, the killed jobs were
     * delivered again, nothing is left in any list. Reports its figures.
     */
    static void killWorkersUnderLoad(String scenario, String redisUrl, String fleet, int jobs, int workers, int killEvery)
            throws Exception {
        try (Fleetside side = new Fleetside(scenario, redisUrl, fleet);
                ProcessManager procs = connect(side.redisUrl, side.fleet, TestSecret.VALUE)) {
            side.startWorkers(workers);
            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                futures.add(procs.submit(newJob(FaultJobs::square, i)));
            }

            int killed = 0;
            List<String> killedMidJob = new ArrayList<>();
            Map<String, Long> victims = new java.util.HashMap<>();
            for (int threshold = killEvery; threshold < jobs - killEvery / 2; threshold += killEvery) {
                int target = threshold;
                await().atMost(Duration.ofMinutes(2)).until(() -> futures.stream().filter(CompletableFuture::isDone).count() >= target);
                // A victim caught mid-job: its hash names the job it runs.
                WorkerProcess[] victim = new WorkerProcess[1];
                String[] job = new String[1];
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
                    for (WorkerProcess w : side.workers) {
                        String running = w.isAlive() ? side.redis.hget(side.keys.worker(w.pid()), "job") : null;
                        if (running != null) {
                            victim[0] = w;
                            job[0] = running;
                            return true;
                        }
                    }
                    return false;
                });
                victim[0].kill();
                side.workers.remove(victim[0]);
                killed++;
                killedMidJob.add(job[0]);
                victims.put(job[0], victim[0].pid());
                side.startWorkers(1);
            }

            side.awaitAll(futures, Duration.ofMinutes(3));

            for (int i = 0; i < jobs; i++) {
                assertThat(((Number) futures.get(i).get()).longValue()).as("job %d", i).isEqualTo((long) i * i);
            }
            Map<String, Long> runs = side.runs(IntStream.range(0, jobs).mapToObj(Integer::toString).toList());
            assertThat(runs.values()).as("every job ran at least once").allMatch(n -> n >= 1);
            long duplicates = runs.values().stream().mapToLong(n -> n - 1).sum();
            for (String jobId : killedMidJob) {
                Outcome o = side.outcome(jobId);
                if (victims.get(jobId) == o.pid()) {
                    continue; // it finished between the look and the kill
                }
                assertThat(side.record(jobId).deliveries())
                        .as("job %s was running when its worker was killed, so it was delivered again", jobId)
                        .isGreaterThanOrEqualTo(2);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(side.inFlightEverywhere()).isEmpty());
            assertThat(side.pendingEverywhere()).isEmpty();
            assertThat(side.redis.lrange(side.keys.backlog())).isEmpty();
            assertThat(side.redis.lrange(side.keys.deadLetter())).isEmpty();

            side.figure("jobsPlaced", jobs);
            side.figure("resultsRetrieved", futures.stream().filter(f -> !f.isCompletedExceptionally()).count());
            side.figure("workersKilled", killed);
            side.figure("workersStarted", workers + killed);
            side.figure("duplicates", duplicates);
            side.figure("lost", jobs - runs.values().stream().filter(n -> n >= 1).count());
            side.figure("staleCompletionsRefused", side.redis.get(side.keys.staleFinishes()) == null ? 0 : side.redis.get(side.keys.staleFinishes()));
            side.report();
        }
    }
}
