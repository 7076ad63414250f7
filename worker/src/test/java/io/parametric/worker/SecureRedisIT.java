package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.testing.SecureRedisServer;
import io.parametric.shared.testing.TestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis URLs with a user and password, and rediss:// (TLS), work for the worker process. */
class SecureRedisIT {

    @Test
    void workerConnectsWithUserAndPasswordAndOverTlsAndNeverLogsThePassword() throws Exception {
        String fleet = TestRedis.uniqueFleet("secure");
        try (SecureRedisServer redis = SecureRedisServer.start();
                TestManager manager = new TestManager(redis.url(), fleet);
                WorkerProcess plain = WorkerProcess.start(redis.url(), fleet, 1, List.of());
                WorkerProcess tls = WorkerProcess.start(redis.tlsUrl(), fleet, 1, redis.trustOptions())) {
            manager.place(plain.pid(), JobPayloads.type("add", List.of(1, 2)));
            assertThat(manager.next().value().asInt()).isEqualTo(3);
            manager.place(tls.pid(), JobPayloads.type("add", List.of(3, 4)));
            assertThat(manager.next().value().asInt()).isEqualTo(7);
            assertThat(manager.fleet.livePids()).containsExactlyInAnyOrder(plain.pid(), tls.pid());
            assertThat(plain.log() + tls.log()).doesNotContain(SecureRedisServer.PASSWORD).contains(":***@");
        }
    }
}
