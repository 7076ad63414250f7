package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.TestRedisCluster;
import io.parametric.shared.testing.TestSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connected fleets of standalone worker processes on a real Redis Cluster (3 masters, 3
 * replicas), two fleets whose slots live on different masters: jobs run, and the worker-kill
 * scenario ({@link WorkerKillsIT}) loses nothing on either fleet while both run at once.
 */
class ClusterFleetsIT {

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
    void aConnectedFleetRunsJobsOnStandaloneWorkers() throws Exception {
        String fleet = cluster.fleetOnMaster(2, "connected");
        try (Fleetside side = new Fleetside("cluster-connected", cluster.url(), fleet);
                ProcessManager procs = connect(cluster.url(), fleet, TestSecret.VALUE)) {
            List<WorkerProcess> workers = side.startWorkers(2);
            assertThat(procs.workerPids()).containsExactlyInAnyOrderElementsOf(workers.stream().map(WorkerProcess::pid).toList());
            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(procs.submit(newJob(FaultJobs::square, i)));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(((Number) futures.get(i).get(60, TimeUnit.SECONDS)).longValue()).isEqualTo((long) i * i);
            }
        }
    }

    @Test
    void workersKilledMidJobLoseNothingOnTwoFleetsOnDifferentMasters() throws Exception {
        String a = cluster.fleetOnMaster(0, "kills-a");
        String b = cluster.fleetOnMaster(1, "kills-b");
        assertThat(cluster.masterOf(cluster.slotOf(a))).isNotEqualTo(cluster.masterOf(cluster.slotOf(b)));
        CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> scenario("cluster-sigkill-master-0", a));
        CompletableFuture<Void> onB = CompletableFuture.runAsync(() -> scenario("cluster-sigkill-master-1", b));
        CompletableFuture.allOf(onA, onB).get(5, TimeUnit.MINUTES);
    }

    private static void scenario(String name, String fleet) {
        try {
            WorkerKillsIT.killWorkersUnderLoad(name, cluster.url(), fleet, 600, 2, 200);
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }
}
