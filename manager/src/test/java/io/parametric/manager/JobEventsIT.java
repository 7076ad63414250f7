package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobEvent.Kind;
import io.parametric.manager.testjobs.Work;
import io.parametric.shared.JobContext;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fleet-wide job events: a manager that placed nothing sees every job's events; nothing is
 * written while nobody listens. Also prints (never asserts) what a listener costs.
 */
@ExtendWith(UsesTestRedis.class)
class JobEventsIT {

    @Test
    void anotherManagerSeesEveryEventOfTheFleetAndNothingIsWrittenWithoutAListener() throws Exception {
        try (ProcessManager procs = processes(1)) {
            Fleet fleet = procs.fleetIfConnected().orElseThrow();
            long pid = procs.workerPids().get(0);
            procs.assign(pid, newJob(() -> 1));
            procs.waitFor(pid);
            assertThat(fleet.lastEventId()).isEqualTo("0-0");

            List<JobEvent> seen = new CopyOnWriteArrayList<>();
            try (ProcessManager watcher = connect(TestRedis.url(), fleet.keys().fleet());
                 AutoCloseable events = watcher.onEvent(seen::add)) {
                String ok = procs.submit(pid, newJob(() -> {
                    JobContext.current().progress(0.5);
                    return 2;
                })).jobId();
                JobFuture<Object> failing = procs.submit(pid, newJob(Work::fail, "on purpose").withRetries(1));
                await().atMost(Duration.ofSeconds(30)).until(failing::isDone);

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(kinds(seen, ok)).containsExactly(Kind.PLACED, Kind.STARTED, Kind.PROGRESS, Kind.COMPLETED);
                    assertThat(kinds(seen, failing.jobId())).containsExactly(
                            Kind.PLACED, Kind.STARTED, Kind.RETRIED, Kind.STARTED, Kind.FAILED);
                });
                JobEvent completed = seen.stream().filter(e -> e.jobId().equals(ok) && e.kind() == Kind.COMPLETED)
                        .findFirst().orElseThrow();
                assertThat(completed.pid()).isEqualTo(pid);
                assertThat(completed.elapsed()).isNotNull();
                assertThat(completed.type()).isEqualTo(JobEventsIT.class.getName());
            }
        }
    }

    @Test
    void printsWhatAListenerCosts() throws Exception {
        try (ProcessManager procs = processes(4)) {
            ProcessJob trivial = newJob(() -> 1);
            procs.distribute(Collections.nCopies(400, trivial));
            procs.waitFor(Duration.ofSeconds(120));
            double without = jobsPerSecond(procs, trivial);
            double with;
            List<JobEvent> seen = new CopyOnWriteArrayList<>();
            try (AutoCloseable events = procs.onEvent(seen::add)) {
                with = jobsPerSecond(procs, trivial);
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 3000);
            }
            System.out.printf("%n[benchmark] events: 1000 trivial jobs over 4 workers: %.0f jobs/s without a listener, "
                    + "%.0f jobs/s with one (%d events received)%n", without, with, seen.size());
        }
    }

    private static double jobsPerSecond(ProcessManager procs, ProcessJob job) {
        long t = System.nanoTime();
        procs.distribute(Collections.nCopies(1000, job));
        procs.waitFor(Duration.ofSeconds(120));
        return 1000 / ((System.nanoTime() - t) / 1e9);
    }

    private static List<Kind> kinds(List<JobEvent> events, String jobId) {
        return events.stream().filter(e -> e.jobId().equals(jobId)).map(JobEvent::kind).toList();
    }
}
