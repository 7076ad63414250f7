package io.parametric.testkit;

import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.redis.Redis;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test kit as a user registers it: one static {@link ContainerFleet} shared by the tests of
 * the class, here a single worker container with two slots.
 */
@ExtendWith(RequiresDocker.class)
class ContainerFleetIT {

    @RegisterExtension
    static final ContainerFleet fleet = ContainerFleet.of(ContainerSupport.workerImage())
            .withRedisImage(ContainerSupport.redisImage())
            .withWorkers(1)
            .withSlots(2)
            .withJobs(JobsJar.of(Path.of("target/it-jobs/fleet-jobs.jar"), SquareJob.class));

    @Test
    void givesTestsAManagerConnectedToTheContainerisedFleet(ProcessManager procs) throws Exception {
        assertThat(procs.workerPids()).hasSize(2);
        Object square = procs.submit(newJob(SquareJob.NAME, 7, 0)).get(60, TimeUnit.SECONDS);
        assertThat(square).isEqualTo(49);
    }

    @Test
    void workerContainerReportsThePidsOfItsSlots(ProcessManager procs, ContainerFleet containers) {
        WorkerContainer worker = containers.workers().get(0);
        assertThat(worker.slots()).isEqualTo(2);
        assertThat(worker.workerPids()).containsExactlyElementsOf(procs.workerPids());
        assertThat(procs.get(worker.workerPids().get(0)).jobTypes()).contains(SquareJob.NAME);
    }

    @Test
    void redisContainerKeepsAnAppendOnlyFileAndNeverEvicts(RedisContainer redis) {
        try (Redis client = new Redis(redis.redisUrl(), 1)) {
            assertThat(client.configGet("appendonly")).isEqualTo("yes");
            assertThat(client.configGet("maxmemory-policy")).isEqualTo("noeviction");
        }
    }
}
