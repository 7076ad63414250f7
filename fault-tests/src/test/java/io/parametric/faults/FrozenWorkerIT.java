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
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario (f): a worker frozen past its lease loses its job; its late completion is refused. */
class FrozenWorkerIT {

    @Test
    void lateCompletionOfAFrozenWorkerIsRefusedAndTheJobHasOneOutcome() throws Exception {
        try (Fleetside side = new Fleetside("f-sigstop-past-lease", TestRedis.url(), TestRedis.uniqueFleet("frozen"));
                ProcessManager procs = connect(side.redisUrl, side.fleet, TestSecret.VALUE)) {
            WorkerProcess frozen = side.startWorkers(1).get(0);
            JobFuture<Object> future = procs.submit(frozen.pid(), newJob(FaultJobs::slow, "f", 3000L));
            await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(side.state(future.jobId())));
            frozen.freeze();
            WorkerProcess rescuer = side.startWorkers(1).get(0);

            // Reaped by the rescuer's reaper after the lease; the job runs again on the rescuer.
            assertThat(future.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("f");
            Outcome outcome = side.outcome(future.jobId());
            assertThat(outcome.pid()).isEqualTo(rescuer.pid());
            assertThat(side.redis.hget(side.keys.worker(frozen.pid()), "state")).isEqualTo("dead");

            frozen.thaw();
            await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(side.redis.get(side.keys.staleFinishes())));
            Outcome still = side.outcome(future.jobId());
            assertThat(still.pid()).as("the late completion wrote nothing").isEqualTo(rescuer.pid());
            assertThat(side.runs(List.of("f")).get("f")).isEqualTo(2);
            // The thawed worker learns it was reaped and takes no more work under its old pid.
            await().atMost(Duration.ofSeconds(30)).until(() -> !side.redis.zrange(side.keys.workers()).contains(Long.toString(frozen.pid()))
                    && side.redis.lrange(side.keys.openWorkers()).stream().noneMatch(p -> p.equals(Long.toString(frozen.pid()))));
            assertThat(procs.submit(newJob(FaultJobs::slow, "after", 10L)).get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("after");
            assertThat(side.inFlightEverywhere()).isEmpty();

            side.figure("jobsPlaced", 2);
            side.figure("workersFrozen", 1);
            side.figure("runsOfFrozenJob", 2);
            side.figure("outcomes", 1);
            side.figure("staleCompletionsRefused", side.redis.get(side.keys.staleFinishes()));
            side.report();
        }
    }
}
