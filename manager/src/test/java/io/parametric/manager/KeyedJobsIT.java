package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.JobContext;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** withKey: a key that is queued or running is joined, never placed twice; it is free again after its outcome. */
@ExtendWith(UsesTestRedis.class)
class KeyedJobsIT {

    /** Sleeps, then counts one run of its name and returns the count. */
    static long slowRun(String name, Integer millis) throws InterruptedException {
        Thread.sleep(millis);
        return JobContext.current().increment(name, 1);
    }

    @Test
    void aKeyedJobThatIsQueuedOrRunningIsJoinedAndItsKeyIsFreeAgainAfterItsOutcome() throws Exception {
        try (ProcessManager procs = processes(1)) {
            ProcessJob report = newJob(KeyedJobsIT::slowRun, "report-runs", 1500).withKey("report-7");
            JobFuture<Object> first = procs.submit(report);
            JobFuture<Object> second = procs.submit(report);
            List<JobFuture<Object>> more = procs.submitAll(List.of(report, report));

            assertThat(second.jobId()).isEqualTo(first.jobId());
            assertThat(more).extracting(JobFuture::jobId).containsOnly(first.jobId());
            assertThat(((Number) first.get(60, TimeUnit.SECONDS)).longValue()).isEqualTo(1);
            assertThat(((Number) second.get(60, TimeUnit.SECONDS)).longValue()).isEqualTo(1);
            assertThat(procs.fetch("report-runs", Long.class)).isEqualTo(1);

            JobFuture<Object> again = procs.submit(report);
            assertThat(again.jobId()).isNotEqualTo(first.jobId());
            assertThat(((Number) again.get(60, TimeUnit.SECONDS)).longValue()).isEqualTo(2);
        }
    }

    @Test
    void twoEqualKeyedJobsInOneCallPlaceOnceWhileOtherKeysPlaceTheirOwn() throws Exception {
        try (ProcessManager procs = processes(1)) {
            ProcessJob a = newJob(KeyedJobsIT::slowRun, "a-runs", 200).withKey("a");
            ProcessJob b = newJob(KeyedJobsIT::slowRun, "b-runs", 200).withKey("b");
            List<JobFuture<Object>> futures = procs.submitAll(List.of(a, a, b));
            assertThat(futures.get(1).jobId()).isEqualTo(futures.get(0).jobId());
            assertThat(futures.get(2).jobId()).isNotEqualTo(futures.get(0).jobId());
            for (JobFuture<Object> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(procs.fetch("a-runs", Long.class)).isEqualTo(1);
            assertThat(procs.fetch("b-runs", Long.class)).isEqualTo(1);
        }
    }
}
