package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scenario (c): SIGTERM while a long job runs and others wait on the same worker. */
class ShutdownIT {

    @Test
    void sigtermLetsTheRunningJobFinishAndHandsQueuedJobsOn() throws Exception {
        try (Fleetside side = new Fleetside("c-sigterm", TestRedis.url(), TestRedis.uniqueFleet("sigterm"));
                ProcessManager procs = connect(side.redisUrl, side.fleet, TestSecret.VALUE)) {
            WorkerProcess leaving = side.startWorkers(1).get(0);
            JobFuture<Object> running = procs.submit(leaving.pid(), newJob(FaultJobs::slow, "long", 2000L));
            JobFuture<Object> queued1 = procs.submit(leaving.pid(), newJob(FaultJobs::slow, "q1", 10L));
            JobFuture<Object> queued2 = procs.submit(leaving.pid(), newJob(FaultJobs::slow, "q2", 10L));
            await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(side.state(running.jobId())));

            leaving.terminate();

            assertThat(leaving.waitForExit(Duration.ofSeconds(30))).as("exit status after SIGTERM").isZero();
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("long");
            assertThat(running.pid()).isEqualTo(leaving.pid());
            assertThat(side.redis.lrange(side.keys.backlog())).hasSize(2);
            side.startWorkers(1);
            assertThat(queued1.get(60, TimeUnit.SECONDS)).isEqualTo("q1");
            assertThat(queued2.get(60, TimeUnit.SECONDS)).isEqualTo("q2");
            assertThat(side.runs(List.of("long", "q1", "q2")).values()).containsOnly(1L);
            assertThat(side.inFlightEverywhere()).isEmpty();

            side.figure("jobsPlaced", 3);
            side.figure("runningJobFinished", 1);
            side.figure("queuedHandedOn", 2);
            side.figure("duplicates", 0);
            side.figure("lost", 0);
            side.report();
        }
    }
}
