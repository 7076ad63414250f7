package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.LoggedLines;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.Reaper;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Closing a manager stops its reaper before its connections close: a tick under way finishes
 * first, so it never reports the closed pool as Redis being away (the benchmark's {@code million}
 * scenario logged "reaper … cannot run: Could not get a resource from the pool" at every close).
 */
class ReaperDaemonIT {

    @Test
    void aReaperStoppedRightBeforeItsConnectionsCloseLogsNoOutage() throws Exception {
        try (LoggedLines logged = LoggedLines.of(Reaper.class)) {
            // A tick every millisecond: most of the time one is under way when the daemon stops.
            for (int i = 0; i < 20; i++) {
                Redis redis = new Redis(TestRedis.url(), 2);
                Fleet fleet = new Fleet(redis, new FleetKeys(TestRedis.uniqueFleet("reaper-daemon")), TestSecret.secret(),
                        Fleet.DEFAULT_JOB_TTL);
                AutoCloseable daemon = new Reaper(fleet, Reaper.DEFAULT_LEASE, Duration.ofMillis(1), "test").startDaemon(Duration.ofMillis(1), () -> true);
                Thread.sleep(10);
                daemon.close();
                redis.close();
            }
            Thread.sleep(50);
            assertThat(logged.messages()).noneMatch(m -> m.contains("cannot run"));
        }
    }
}
