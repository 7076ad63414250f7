package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.manager.internal.RedisLocator;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a manager finds its Redis, and what it says when there is none. */
class RedisDiscoveryIT {

    @AfterEach
    void unset() {
        System.clearProperty("pp.redis.url");
        System.clearProperty("pp.fleet");
        System.clearProperty("pp.secret");
    }

    private static String silentUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "redis://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void aConfiguredRedisThatDoesNotAnswerIsAnErrorNeverReplaced() throws IOException {
        String url = silentUrl();
        System.setProperty("pp.redis.url", url);
        assertThatThrownBy(() -> processes(1))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REDIS_UNAVAILABLE);
                    assertThat(e.getMessage()).contains(url).contains("pp.redis.url");
                });
        assertThatThrownBy(() -> connect(url, "anything", TestSecret.VALUE))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.REDIS_UNAVAILABLE));
    }

    @Test
    void withNothingConfiguredItUsesTheLocalRedisOrStartsAndStopsItsOwn() {
        if (RedisLocator.configuredUrl() != null) {
            // PP_REDIS_URL is set for this JVM: the configured path is what applies, tested above.
            return;
        }
        boolean localAnswers;
        try (Redis local = new Redis(RedisLocator.DEFAULT_URL, 1)) {
            localAnswers = local.ping();
        }
        ProcessManager procs = processes(1);
        String origin = procs.redisOrigin();
        String url = procs.redisUrlIfConnected().orElseThrow();
        try {
            procs.assign(1, newJob(() -> 55));
            assertThat(procs.waitFor(Duration.ofSeconds(60), 1)).containsExactly(55);
        } finally {
            procs.close();
        }
        if (localAnswers) {
            assertThat(origin).contains("127.0.0.1:6379");
        } else {
            assertThat(origin).contains("private redis-server");
            try (Redis gone = new Redis(url, 1)) {
                assertThat(gone.ping()).as("the private Redis stops with its manager").isFalse();
            }
        }
    }

    @Test
    void connectListsTheFleetsRunningWorkersAndLeavesThemRunning() {
        String fleet = TestRedis.uniqueFleet("connect");
        System.setProperty("pp.redis.url", TestRedis.url());
        System.setProperty("pp.fleet", fleet);
        System.setProperty("pp.secret", TestSecret.VALUE);
        try (ProcessManager owner = processes(2)) {
            try (ProcessManager fleetView = connect(TestRedis.url(), fleet)) {
                assertThat(fleetView.workerPids()).containsExactly(1L, 2L);
                fleetView.assign(2, newJob(() -> "via connect"));
                assertThat(fleetView.waitFor(Duration.ofSeconds(60), 2)).containsExactly("via connect");
                assertThat(owner.getReturn(2)).containsExactly("via connect");
            }
            assertThat(owner.get(1).isClosed()).isFalse();
            assertThat(owner.get(2).isClosed()).isFalse();
        }
    }
}
