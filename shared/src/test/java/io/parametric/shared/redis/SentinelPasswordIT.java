package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.testing.TestRedisSentinel;
import org.junit.jupiter.api.Test;

/** A redis-sentinel:// URL whose sentinels require the password too (requirepass on the sentinels). */
class SentinelPasswordIT {

    @Test
    void sentinelsThatRequireThePasswordAreAskedWithTheUrlsCredentials() {
        try (TestRedisSentinel group = TestRedisSentinel.start(true); Redis redis = new Redis(group.url(), 1)) {
            assertThat(redis.ping()).isTrue();
            redis.set("pp:{sentinel-auth}:v:x", "1");
            assertThat(group.master().cli("get", "pp:{sentinel-auth}:v:x").trim()).isEqualTo("1");
        }
    }
}
