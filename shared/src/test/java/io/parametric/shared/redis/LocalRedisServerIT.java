package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The private redis-server of processes(n): loopback only, a random password nobody else sees. */
class LocalRedisServerIT {

    @Test
    void requiresARandomPasswordBindsLoopbackOnlyAndKeepsThePasswordOffItsCommandLine() throws Exception {
        try (LocalRedisServer server = LocalRedisServer.start(false); LocalRedisServer other = LocalRedisServer.start(false)) {
            String url = server.url();
            String password = url.substring("redis://:".length(), url.indexOf('@'));
            assertThat(password).hasSize(64).isNotEqualTo(other.url().substring("redis://:".length(), other.url().indexOf('@')));
            try (Redis noPassword = new Redis("redis://127.0.0.1:" + server.port(), 1)) {
                assertThatThrownBy(() -> noPassword.get("x")).hasMessageContaining("NOAUTH");
            }
            try (Redis redis = new Redis(url, 1)) {
                assertThat(redis.configGet("bind")).isEqualTo("127.0.0.1");
                String info = redis.info("server");
                String pid = info.lines().filter(l -> l.startsWith("process_id:")).findFirst().orElseThrow().substring(11).trim();
                assertThat(Files.readString(Path.of("/proc", pid, "cmdline"))).contains("redis-server").doesNotContain(password);
                assertThat(redis.url()).doesNotContain(password);
            }
        }
    }
}
