package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @AfterEach
    void clear() {
        System.clearProperty("pp.job.ttl");
        System.clearProperty("pp.maxPayloadBytes");
    }

    @Test
    void defaultsAreADayAndOneMebibyte() {
        assertThat(Limits.jobTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(Limits.maxPayloadBytes()).isEqualTo(1 << 20);
    }

    @Test
    void systemPropertiesSetTheBounds() {
        System.setProperty("pp.job.ttl", "2h");
        System.setProperty("pp.maxPayloadBytes", "4096");

        assertThat(Limits.jobTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(Limits.maxPayloadBytes()).isEqualTo(4096);
    }

    @Test
    void nonsenseSettingsAreRefusedNamingTheSetting() {
        System.setProperty("pp.job.ttl", "100ms");
        System.setProperty("pp.maxPayloadBytes", "-1");

        assertThatThrownBy(Limits::jobTtl).hasMessageContaining("PP_JOB_TTL");
        assertThatThrownBy(Limits::maxPayloadBytes).hasMessageContaining("PP_MAX_PAYLOAD");
    }
}
