package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.redis.Durability;
import io.parametric.shared.testing.RedisProcess;
import io.parametric.shared.testing.TestRedisSentinel;
import io.parametric.shared.testing.TestSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scenario (s): the Redis master of a Sentinel group (one master, one replica, three sentinels)
 * is SIGKILLed while 1,000 jobs run on four standalone workers; the sentinels promote the
 * replica, the manager and the workers follow it, and the killed node comes back as a replica.
 * Every waiter returns or raises. Runs are counted in a file, outside Redis, so a failover cannot
 * lose the count. With {@code PP_DURABILITY=replicated} no job is lost; without it the loss is
 * reported (RELIABILITY.md).
 */
class SentinelFailoverIT {

    private static final int JOBS = 1000;
    private static final int WORKERS = 4;
    private static final String FLEET = "failover";

    @Test
    void noJobIsLostWhenTheMasterDiesWithReplicatedDurability() throws Exception {
        Figures figures = killTheMasterUnderLoad("s-sentinel-failover-replicated", Durability.REPLICATED);
        assertThat(figures.lost()).as("jobs lost with PP_DURABILITY=replicated").isZero();
    }

    @Test
    void theLossOfAFailoverWithoutDurabilityIsReported() throws Exception {
        killTheMasterUnderLoad("s-sentinel-failover-master", Durability.MASTER);
    }

    /**
     * @param lost jobs whose waiters did not get their result
     * @param runTwice jobs that ran more than once
     */
    private record Figures(long lost, long runTwice) {}

    private static Figures killTheMasterUnderLoad(String scenario, Durability durability) throws Exception {
        System.setProperty(Durability.PROPERTY, durability.setting());
        Path runsFile = Files.createTempFile("pp-failover-runs-", ".txt");
        try (TestRedisSentinel group = TestRedisSentinel.start();
                Fleetside side = new Fleetside(scenario, group.url(), FLEET);
                ProcessManager procs = connect(group.url(), FLEET, TestSecret.VALUE)) {
            side.workerEnvironment.put(Durability.ENV, durability.setting());
            side.startWorkers(WORKERS);
            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                futures.add(procs.submit(newJob(FaultJobs::recorded, runsFile.toString(), i)));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> futures.stream().filter(CompletableFuture::isDone).count() >= JOBS / 4);
            long doneAtKill = futures.stream().filter(CompletableFuture::isDone).count();

            long t0 = System.nanoTime();
            RedisProcess old = group.killMaster();
            group.awaitFailover(old);
            long failoverMs = (System.nanoTime() - t0) / 1_000_000;
            // As a supervisor would: the dead node comes back (empty) and the sentinels make it a replica.
            old.restart();
            group.awaitReplica(old);

            // Every waiter returns or raises.
            await().atMost(Duration.ofMinutes(3)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
            long returned = 0;
            Map<String, Long> raised = new TreeMap<>();
            for (int i = 0; i < JOBS; i++) {
                try {
                    if (((Number) futures.get(i).get()).longValue() == (long) i * i) {
                        returned++;
                    }
                } catch (ExecutionException e) {
                    raised.merge(e.getCause().getClass().getSimpleName() + ": " + firstWords(e.getCause().getMessage()), 1L,
                            Long::sum);
                }
            }
            Map<String, Long> runs = Files.readAllLines(runsFile).stream().filter(l -> !l.isBlank())
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            long runTwice = runs.values().stream().filter(n -> n >= 2).count();
            long neverRan = JOBS - runs.size();
            Figures figures = new Figures(JOBS - returned, runTwice);

            side.figure("durability", durability.setting());
            side.figure("jobsPlaced", JOBS);
            side.figure("doneWhenMasterKilled", doneAtKill);
            side.figure("failoverMs", failoverMs);
            side.figure("resultsRetrieved", returned);
            side.figure("lost", figures.lost());
            side.figure("neverRan", neverRan);
            side.figure("runTwice", runTwice);
            side.figure("waitersRaised", raised);
            side.report();
            return figures;
        } finally {
            System.clearProperty(Durability.PROPERTY);
            Files.deleteIfExists(runsFile);
        }
    }

    private static String firstWords(String message) {
        return message == null ? "" : message.length() > 80 ? message.substring(0, 80) : message;
    }
}
