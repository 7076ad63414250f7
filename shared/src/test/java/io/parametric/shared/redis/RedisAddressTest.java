package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisAddressTest {

    @Test
    void aClusterUrlListsItsSeedNodesAndCredentials() {
        RedisAddress a = RedisAddress.parse("rediss-cluster://app:p%40ss+w@node-1:6379,10.0.0.2:6380,[::1]:7000");
        assertThat(a.kind()).isEqualTo(RedisAddress.Kind.CLUSTER);
        assertThat(a.tls()).isTrue();
        assertThat(a.user()).isEqualTo("app");
        assertThat(a.password()).isEqualTo("p@ss+w");
        assertThat(a.nodes()).containsExactly(new RedisAddress.Node("node-1", 6379), new RedisAddress.Node("10.0.0.2", 6380),
                new RedisAddress.Node("::1", 7000));
        assertThat(a.master()).isNull();
    }

    @Test
    void aSentinelUrlEndsWithTheMasterName() {
        RedisAddress a = RedisAddress.parse("redis-sentinel://:pw@s1:26379,s2:26379/mymaster");
        assertThat(a.kind()).isEqualTo(RedisAddress.Kind.SENTINEL);
        assertThat(a.tls()).isFalse();
        assertThat(a.user()).isNull();
        assertThat(a.password()).isEqualTo("pw");
        assertThat(a.nodes()).hasSize(2);
        assertThat(a.master()).isEqualTo("mymaster");
        assertThat(RedisAddress.parse("redis-sentinel://s1:26379/m").password()).isNull();
    }

    @Test
    void onlyTheFourMultiNodeSchemesAreTakenApartHere() {
        assertThat(List.of("redis-cluster://h:1", "rediss-cluster://h:1", "redis-sentinel://h:1/m", "rediss-sentinel://h:1/m"))
                .allMatch(RedisAddress::isMultiNode);
        assertThat(RedisAddress.isMultiNode("redis://h:1")).isFalse();
        assertThat(RedisAddress.isMultiNode("rediss://h:1")).isFalse();
    }

    @Test
    void aBadUrlIsRefusedSayingWhatIsWrongWithoutItsPassword() {
        for (String url : List.of("redis-sentinel://:s3cret@h:26379", "redis-cluster://:s3cret@h:6379/0",
                "redis-cluster://:s3cret@h", "redis-cluster://:s3cret@h:99999", "redis-cluster://s3cret@h:1")) {
            assertThatThrownBy(() -> new Redis(url, 1).close()).as(url).isInstanceOfSatisfying(ProcessError.class, e -> {
                assertThat(e.reason()).isEqualTo(ProcessError.Reason.REDIS_UNAVAILABLE);
                assertThat(e.getMessage()).doesNotContain("s3cret").contains("is not a Redis URL");
            });
        }
        assertThatThrownBy(() -> RedisAddress.parse("redis-sentinel://h:26379")).hasMessageContaining("/<master name>");
        assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://h:6379/0")).hasMessageContaining("no path");
    }

    @Test
    void aClusterOrSentinelGroupThatDoesNotAnswerYetFailsCommandsNotTheConstructor() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        for (String url : List.of("redis-cluster://:s3cret@127.0.0.1:" + port, "redis-sentinel://:s3cret@127.0.0.1:" + port + "/m")) {
            try (Redis redis = new Redis(url, 1)) {
                assertThat(redis.ping()).as(url).isFalse();
                assertThatThrownBy(() -> redis.get("pp:{later}:v:x")).as(url).isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProcessError.Reason.REDIS_UNAVAILABLE);
                    assertThat(e.getMessage()).doesNotContain("s3cret");
                });
            }
        }
    }
}
