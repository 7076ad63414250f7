package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.testjobs.Work;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8, finding 6: a job the fleet no longer holds anywhere (its entry and its record deleted
 * by someone with write access to Redis) fails its waiters — {@code waitFor} without a timeout,
 * its future, {@code job(id)} on another manager — with ILLEGAL_STATE instead of leaving them
 * waiting forever. The lease is 1 s here, so the sweep runs every second.
 */
@ExtendWith(UsesTestRedis.class)
class VanishedJobIT {

    @BeforeEach
    void shortLease() {
        System.setProperty("pp.lease", "1s");
    }

    @AfterEach
    void defaultLease() {
        System.clearProperty("pp.lease");
    }

    @Test
    void aJobWhoseEntryAndRecordAreDeletedFailsEveryWaiter() throws Exception {
        try (ProcessManager procs = processes(1);
                ProcessManager other = connect(TestRedis.url(), procs.fleetName());
                Redis attacker = new Redis(TestRedis.url(), 1)) {
            long pid = procs.workerPids().get(0);
            Fleet fleet = procs.fleetIfConnected().orElseThrow();
            JobFuture<Object> busy = procs.submit(pid, newJob(Work::sleep, 3000));
            await().until(() -> "running".equals(fleet.job(busy.jobId()).map(JobRecord::state).orElse(null)));
            JobFuture<Object> backlogged = procs.submit(newJob(() -> "never runs"));
            JobFuture<Object> pinned = procs.submit(pid, newJob(() -> "never runs either"));
            await().until(() -> attacker.llen(fleet.keys().backlog()) == 1);
            JobFuture<Object> watched = other.job(backlogged.jobId());

            attacker.del(fleet.keys().backlog(), fleet.keys().pending(pid));
            attacker.hdel(fleet.keys().jobs(), backlogged.jobId(), pinned.jobId());

            assertVanished(backlogged);
            assertVanished(watched);
            assertThatThrownBy(() -> procs.waitFor(pid))
                    .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.ILLEGAL_STATE));
        }
    }

    private static void assertVanished(JobFuture<Object> f) {
        assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ILLEGAL_STATE);
                    assertThat(e.getMessage()).contains("vanished").contains(f.jobId());
                });
    }
}
