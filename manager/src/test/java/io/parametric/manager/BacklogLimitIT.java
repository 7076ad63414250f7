package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.testjobs.Work;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fleet's backlog limit: placements past it wait for room, then fail QUEUE_FULL naming the limit and the length. */
@ExtendWith(UsesTestRedis.class)
class BacklogLimitIT {

    @AfterEach
    void clear() {
        System.clearProperty("pp.backlog.wait");
    }

    @Test
    void aPlacementPastTheLimitFailsQueueFullAndNothingBeyondTheLimitIsQueued() throws Exception {
        System.setProperty("pp.backlog.wait", "300ms");
        String fleet = TestRedis.uniqueFleet("backlog-limit");
        try (ProcessManager procs = connect(TestRedis.url(), fleet); Redis redis = new Redis(TestRedis.url(), 1)) {
            procs.backlogLimit(3);
            for (int i = 0; i < 3; i++) {
                procs.submit(newJob(Work::sleep, 1));
            }
            ProcessError full = placementError(() -> procs.submit(newJob(Work::sleep, 1)).get(30, TimeUnit.SECONDS));
            assertThat(full.reason()).isEqualTo(Reason.QUEUE_FULL);
            assertThat(full.getMessage()).contains("limit of 3").contains("holds 3 jobs");
            assertThat(redis.llen(new FleetKeys(fleet).backlog())).isEqualTo(3);

            procs.backlogLimit(0);
            procs.submit(newJob(Work::sleep, 1));
            // submit returns before its placement is sent (coalesced): the backlog grows soon after.
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.llen(new FleetKeys(fleet).backlog()) == 4);
        }
    }

    /** Runs a placement expected to fail, whether it throws at once or through its future. */
    private static ProcessError placementError(ThrowingRunnable placement) throws Exception {
        try {
            placement.run();
        } catch (ProcessError e) {
            return e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProcessError pe) {
                return pe;
            }
            throw e;
        }
        throw new AssertionError("the placement did not fail");
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
