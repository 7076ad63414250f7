package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import org.junit.jupiter.api.Test;

/** After a lost connection the client repeats only what is safe to repeat. */
class RedisRepeatIT {

    @Test
    void aReadIsRepeatedOnAFreshConnectionButAnIncrementNever() {
        try (LocalRedisServer server = LocalRedisServer.start(true); Redis redis = new Redis(server.url(), 1)) {
            redis.set("k", "v");
            assertThat(redis.incrBy("n", 1)).isEqualTo(1);
            server.kill();
            server.restart();
            assertThat(redis.get("k")).as("a read survives the stale pooled connection").isEqualTo("v");
            server.kill();
            server.restart();
            assertThatThrownBy(() -> redis.incrBy("n", 1)).isInstanceOfSatisfying(ProcessError.class,
                    e -> assertThat(e.reason()).isEqualTo(ProcessError.Reason.REDIS_UNAVAILABLE));
            assertThat(redis.get("n")).as("the increment was not applied by a repeat").isEqualTo("1");
            assertThat(redis.incrBy("n", 1)).isEqualTo(2);
        }
    }
}
