package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.shared.testing.TestRedisCluster;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's examples on a real Redis Cluster (3 masters, 3 replicas): the manager finds it in
 * {@code pp.redis.url = redis-cluster://...} and its worker JVMs in {@code PP_REDIS_URL}, as a
 * user would configure them. One fleet of four worker processes runs them all.
 */
class ClusterExamplesIT {

    private static TestRedisCluster cluster;
    private static ProcessManager procs;

    @BeforeAll
    static void startFleetOnCluster() {
        cluster = TestRedisCluster.start();
        System.setProperty(UsesTestRedis.PROPERTY, cluster.url());
        procs = processes(4);
    }

    @AfterAll
    static void stopFleetAndCluster() {
        try {
            if (procs != null) {
                procs.close();
            }
        } finally {
            System.clearProperty(UsesTestRedis.PROPERTY);
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void waitForAfterAssignReturns55() {
        long worker2 = procs.workerPids().get(1);
        assertThat(WaitForExample.assignAndWait(procs, worker2)).isEqualTo(55);
    }

    @Test
    void distributedJobsRunOnEveryWorker() {
        List<Long> pids = DistributeExample.distributeThirty(procs);
        procs.waitFor();
        assertThat(pids).isEqualTo(procs.workerPids()).hasSize(4);
        assertThat(procs.fetch("completed", Long.class)).isEqualTo(30L);
    }

    @Test
    void sharedStateIsIncrementedByTwentyJobs() {
        assertThat(SharedStateExample.incrementSharedX(procs)).isEqualTo(25L);
    }

    @Test
    void methodReferenceJobsReturnTheirText() {
        assertThat(NewJobExample.runFiveJobs(procs)).containsExactly("job #11", "job #22", "job #33", "job #44", "job #55");
    }

    @Test
    void batchesAndTheExecutorReturnInOrder() throws Exception {
        BatchExample.Results r = BatchExample.run(procs);
        assertThat(r.squares()).containsExactly(1L, 4L, 9L, 16L, 25L, 36L, 49L, 64L, 81L, 100L);
        assertThat(r.answer()).isEqualTo(42L);
    }

    @Test
    void futuresCancelTimeoutRetriesAndDelaysWork() throws Exception {
        assertThat(FuturesExample.future(procs)).containsExactly(42, 42);
        assertThat(FuturesExample.cancel(procs)).isTrue();
        assertThat(FuturesExample.timeout(procs).reason()).isEqualTo(ProcessError.Reason.JOB_TIMEOUT);
        assertThat(((Number) FuturesExample.retries(procs)).longValue()).isEqualTo(3);
        assertThat(FuturesExample.delay(procs)).isEqualTo("later");
    }
}
