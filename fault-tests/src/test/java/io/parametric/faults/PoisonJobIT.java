package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scenario (d): a job that kills every worker it reaches ends in the dead-letter list. */
class PoisonJobIT {

    @Test
    void jobThatKillsItsWorkerIsDeadLetteredAfterItsLimitAndTheFleetKeepsServing() throws Exception {
        try (Fleetside side = new Fleetside("d-poison", TestRedis.url(), TestRedis.uniqueFleet("poison"));
                ProcessManager procs = connect(side.redisUrl, side.fleet, TestSecret.VALUE)) {
            side.startWorkers(2);
            JobFuture<Object> poison = procs.submit(newJob(FaultJobs::killWorker, "p"));

            // Like an orchestrator: keep two workers alive while the poison job kills them.
            int[] restarts = {0};
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (WorkerProcess w : side.workers) {
                    if (!w.isAlive()) {
                        side.workers.remove(w);
                        side.startWorkers(1);
                        restarts[0]++;
                    }
                }
                return poison.isDone();
            });

            assertThatThrownBy(poison::get).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(ProcessError.class)
                    .satisfies(e -> assertThat(((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.POISON));
            assertThat(side.runs(List.of("p")).get("p")).isEqualTo(3);
            assertThat(procs.deadLetters()).singleElement().asString().contains("POISON").contains(poison.jobId());
            assertThat(procs.submit(newJob(FaultJobs::slow, "after", 10L)).get(60, TimeUnit.SECONDS)).isEqualTo("after");
            assertThat(side.inFlightEverywhere()).isEmpty();
            assertThat(procs.purgeDeadLetters()).isEqualTo(1);

            side.figure("jobsPlaced", 2);
            side.figure("workersKilledByPoison", 3);
            side.figure("workerRestarts", restarts[0]);
            side.figure("deliveriesOfPoison", side.record(poison.jobId()).deliveries());
            side.figure("deadLettered", 1);
            side.report();
        }
    }
}
