package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorkerConfigTest {

    /** {@code execute} reads the secret as a worker does; the property stands in for PP_SECRET. */
    @BeforeEach
    void secret() {
        System.setProperty("pp.secret", TestSecret.VALUE);
    }

    @AfterEach
    void noSecret() {
        System.clearProperty("pp.secret");
    }

    private static WorkerConfig parse(String... args) {
        WorkerMain main = new WorkerMain();
        new CommandLine(main).parseArgs(args);
        return main.config(TestSecret.secret());
    }

    @Test
    void flagsBecomeTheConfigWithDefaultsForTheRest() {
        WorkerConfig c = parse("--redis", "redis://h:1", "--fleet", "render", "--slots", "3", "--name", "box",
                "--allow", "com.acme, org.x", "--shutdown-timeout", "2m", "--heartbeat", "500ms",
                "--parent-pid", "42", "--announce");
        assertThat(c.redisUrl()).isEqualTo("redis://h:1");
        assertThat(c.fleet()).isEqualTo("render");
        assertThat(c.slots()).isEqualTo(3);
        assertThat(c.namePrefix()).isEqualTo("box");
        assertThat(c.exactName()).isNull();
        assertThat(c.allow()).containsExactly("com.acme", "org.x");
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.heartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.parentPid()).isEqualTo(42L);
        assertThat(c.announce()).isTrue();
        assertThat(c.jobs()).isEmpty();
    }

    @Test
    void defaultsFollowTheApiWhenNoEnvironmentIsSet() {
        // The build sets no PP_* variables; if a developer's shell does, the env wins as documented.
        WorkerConfig c = parse("--redis", "redis://h:1");
        if (System.getenv("PP_FLEET") == null) {
            assertThat(c.fleet()).isEqualTo("default");
        }
        if (System.getenv("PP_SLOTS") == null) {
            assertThat(c.slots()).isEqualTo(1);
        }
        if (System.getenv("PP_SHUTDOWN_TIMEOUT") == null) {
            assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(25));
        }
        if (System.getenv("PP_LEASE") == null) {
            assertThat(c.lease()).isEqualTo(Duration.ofSeconds(10));
        }
        assertThat(c.namePrefix()).isNotBlank();
    }

    @Test
    void impossibleSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> parse("--redis", "redis://h:1", "--slots", "0")).hasMessageContaining("--slots");
        assertThatThrownBy(() -> parse("--redis", "redis://h:1", "--slots", "2", "--exact-name", "a"))
                .hasMessageContaining("--exact-name");
        assertThatThrownBy(() -> parse("--redis", "redis://h:1", "--fleet", "a b")).hasMessageContaining("fleet");
        assertThatThrownBy(() -> new WorkerConfig("redis://x", "f", TestSecret.secret(), 1, "p", null, List.of(), List.of(),
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), null, false, false, null, null))
                .hasMessageContaining("shutdown timeout (--shutdown-timeout / PP_SHUTDOWN_TIMEOUT) must be positive");
    }

    @Test
    void aNegativeBacklogLimitIsRefusedNamingPpBacklogLimit() {
        assertThatThrownBy(() -> new WorkerConfig("redis://x", "f", TestSecret.secret(), 1, "p", null, List.of(), List.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null, false, false, -1L, null))
                .hasMessageContaining("PP_BACKLOG_LIMIT");
    }

    @Test
    void aShardCountOutOfRangeIsRefusedNamingPpShards() {
        assertThatThrownBy(() -> parse("--redis", "redis://h:1", "--shards", "0")).hasMessageContaining("PP_SHARDS");
        assertThat(parse("--redis", "redis://h:1", "--shards", "3").shards()).isEqualTo(3);
        assertThat(parse("--redis", "redis://h:1").shards()).isNull();
    }

    @Test
    void aWorkerWithoutARedisUrlIsRefusedNamingPpRedisUrl() {
        if (System.getenv("PP_REDIS_URL") == null) {
            assertThatThrownBy(() -> parse("--fleet", "f")).hasMessageContaining("PP_REDIS_URL")
                    .hasMessageContaining("--redis").hasMessageNotContaining("pp.redis.url");
            assertThat(WorkerMain.commandLine().execute("--fleet", "f")).isEqualTo(WorkerMain.EXIT_USAGE);
        }
    }

    @Test
    void helpExitsZeroAndBadSettingsExitTwo() {
        java.io.StringWriter help = new java.io.StringWriter();
        assertThat(WorkerMain.commandLine().setOut(new java.io.PrintWriter(help)).execute("--help")).isZero();
        assertThat(help.toString()).contains("PP_REDIS_URL", "PP_FLEET", "PP_SLOTS", "PP_ALLOW", "--parent-pid", "--announce",
                "PP_SECRET", "PP_SECRET_FILE", "PP_SECRET_PREVIOUS", "PP_INSECURE=1", "no usable fleet secret");
        assertThat(help.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        assertThat(WorkerMain.commandLine().execute("--slots", "0")).isEqualTo(WorkerMain.EXIT_USAGE);
    }
}
