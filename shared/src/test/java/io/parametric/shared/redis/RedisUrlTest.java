package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import org.junit.jupiter.api.Test;

class RedisUrlTest {

    @Test
    void redactsEveryPasswordShape() {
        assertThat(RedisUrl.redact("redis://:pw@h:6379")).isEqualTo("redis://:***@h:6379");
        assertThat(RedisUrl.redact("redis://app:pw@h:6379/2")).isEqualTo("redis://app:***@h:6379/2");
        assertThat(RedisUrl.redact("rediss://app:p@ss/w0rd@h:6380")).isEqualTo("rediss://app:***@h:6380");
        assertThat(RedisUrl.redact("redis://app:p%40ss%2Fw@h")).isEqualTo("redis://app:***@h");
        assertThat(RedisUrl.redact("redis://onlysecret@h")).isEqualTo("redis://***@h");
        assertThat(RedisUrl.redact("redis-cluster://u:pw@a:1,b:2")).isEqualTo("redis-cluster://u:***@a:1,b:2");
        assertThat(RedisUrl.redact("u:pw@h:6379")).isEqualTo("u:***@h:6379");
        assertThat(RedisUrl.redact("redis://h:6379/0")).isEqualTo("redis://h:6379/0");
        assertThat(RedisUrl.redact(null)).isNull();
    }

    @Test
    void scrubsAUrlAndItsPasswordFromAnyText() {
        String url = "redis://app:p%40ss:w/rd@h:6379";
        assertThat(RedisUrl.scrub("bad " + url + " (p@ss:w/rd, p%40ss:w/rd)", url))
                .isEqualTo("bad redis://app:***@h:6379 (***, ***)");
    }

    @Test
    void aMalformedUrlIsRefusedWithoutItsPasswordInTheMessageOrCause() {
        String url = "redis://app:se cr@t/pw@h:6379";
        assertThatThrownBy(() -> new Redis(url, 1).close()).isInstanceOfSatisfying(ProcessError.class, e -> {
            assertThat(e.getMessage()).doesNotContain("se cr@t", "cr@t/pw").contains("redis://app:***@h:6379");
            assertThat(e.getCause()).isNull();
        });
    }
}
