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
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancellation, retries with backoff and delayed jobs, on a real worker process. */
class JobOptionsIT {

    private Fleetside side;
    private ProcessManager procs;
    private long pid;

    @BeforeEach
    void fleet() {
        side = new Fleetside("options", TestRedis.url(), TestRedis.uniqueFleet("options"));
        pid = side.startWorkers(1).get(0).pid();
        procs = connect(side.redisUrl, side.fleet, TestSecret.VALUE);
    }

    @AfterEach
    void close() {
        procs.close();
        side.close();
    }

    private String state(JobFuture<?> f) {
        return side.state(f.jobId());
    }

    @Test
    void cancellingARunningJobInterruptsItAndIsAcknowledgedInTheJobHash() throws Exception {
        JobFuture<Object> running = procs.submit(pid, newJob(FaultJobs::slow, "c-run", 60_000L));
        await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(state(running)));

        assertThat(running.cancel(true)).isTrue();

        assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> "cancelled".equals(state(running)));
        assertThat(side.record(running.jobId()).pid()).isEqualTo(pid);
        assertThat(side.outcome(running.jobId()).reason()).isEqualTo("CANCELLED");
        assertThat(procs.submit(pid, newJob(FaultJobs::slow, "next", 10L)).get(30, TimeUnit.SECONDS)).isEqualTo("next");
    }

    @Test
    void cancellingAQueuedJobRemovesItBeforeItRuns() throws Exception {
        JobFuture<Object> blocker = procs.submit(pid, newJob(FaultJobs::slow, "blocker", 1500L));
        JobFuture<Object> queued = procs.submit(pid, newJob(FaultJobs::slow, "c-queued", 10L));

        procs.cancel(queued.jobId());

        assertThat(state(queued)).isEqualTo("cancelled");
        assertThat(blocker.get(30, TimeUnit.SECONDS)).isEqualTo("blocker");
        assertThat(procs.submit(pid, newJob(FaultJobs::slow, "next", 10L)).get(30, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(side.runs(List.of("c-queued")).get("c-queued")).isZero();
        // Its id was a tombstone on the worker's list: the worker's next take dropped it.
        assertThat(side.redis.lrange(side.keys.pending(pid))).isEmpty();
        assertThat(queued.isCancelled()).isTrue();
    }

    @Test
    void failingJobIsRetriedWithBackoffUntilItSucceeds() throws Exception {
        JobFuture<Object> flaky = procs.submit(newJob(FaultJobs::flaky, "r", 2).withRetries(2));

        assertThat(((Number) flaky.get(60, TimeUnit.SECONDS)).longValue()).isEqualTo(3);
        assertThat(side.record(flaky.jobId()).attempts()).isEqualTo(2);
        assertThat(state(flaky)).isEqualTo("done");
    }

    @Test
    void jobStillFailingAfterItsRetriesFailsWithJobFailed() {
        JobFuture<Object> flaky = procs.submit(newJob(FaultJobs::flaky, "r2", 5).withRetries(1));

        assertThatThrownBy(() -> flaky.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .satisfies(e -> {
                    assertThat(((ProcessError) e).reason()).isEqualTo(ProcessError.Reason.JOB_FAILED);
                    assertThat(e.getMessage()).contains("run 2 of r2").contains("after 2 attempts")
                            .doesNotContain("\n");
                });
        assertThat(side.runs(List.of("r2")).get("r2")).isEqualTo(2);
    }

    @Test
    void delayedJobRunsNoSoonerThanItsDelayByRedisTime() throws Exception {
        long t0 = System.nanoTime();
        JobFuture<Object> later = procs.submit(newJob(FaultJobs::slow, "d", 10L).withDelay(Duration.ofMillis(1500)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "delayed".equals(state(later)) || later.isDone());

        assertThat(later.get(60, TimeUnit.SECONDS)).isEqualTo("d");

        // A lower bound measured around it: the job cannot have ended before its delay passed.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
}
