package io.parametric.faults;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scenario (g): job timeouts, for a job that stops when interrupted and one that ignores it. */
class JobTimeoutIT {

    @Test
    void jobIgnoringItsTimeoutFailsWithJobTimeoutAndItsWorkerExitsToBeRestarted() throws Exception {
        try (Fleetside side = new Fleetside("g-timeout", TestRedis.url(), TestRedis.uniqueFleet("timeout"));
                ProcessManager procs = connect(side.redisUrl, side.fleet, TestSecret.VALUE)) {
            WorkerProcess stubborn = side.startWorkers(1).get(0);
            JobFuture<Object> polite = procs.submit(stubborn.pid(), newJob(FaultJobs::slow, "polite", 60_000L).withTimeout(Duration.ofMillis(500)));
            assertThatThrownBy(() -> polite.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .satisfies(e -> assertThat(((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.JOB_TIMEOUT));
            assertThat(stubborn.isAlive()).as("a job that stops when interrupted costs its worker nothing").isTrue();

            JobFuture<Object> ignoring = procs.submit(stubborn.pid(), newJob(FaultJobs::ignoreInterrupts, 60_000L).withTimeout(Duration.ofMillis(500)));

            assertThatThrownBy(() -> ignoring.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .satisfies(e -> {
                        assertThat(((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.JOB_TIMEOUT);
                        assertThat(e.getMessage()).contains("ignored the interrupt");
                    });
            Integer status = stubborn.waitForExit(Duration.ofSeconds(30));
            assertThat(status).as("the worker exits non-zero so it is restarted").isNotNull().isNotZero();
            // Restarted (as an orchestrator or a manager does), the fleet serves again.
            side.workers.remove(stubborn);
            side.startWorkers(1);
            assertThat(procs.submit(newJob(FaultJobs::slow, "after", 10L)).get(60, TimeUnit.SECONDS)).isEqualTo("after");
            assertThat(side.inFlightEverywhere()).isEmpty();

            side.figure("jobsPlaced", 3);
            side.figure("timedOut", 2);
            side.figure("workerExitStatus", status);
            side.figure("workerRestarts", 1);
            side.report();
        }
    }
}
