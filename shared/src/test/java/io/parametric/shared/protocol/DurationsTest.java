package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheFormsPeopleWriteInConfiguration() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("25s")).isEqualTo(Duration.ofSeconds(25));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("0.5")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void rejectsTextThatIsNoDurationNamingTheForms() {
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("25s");
        assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("5x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesTheShortFormOfTables() {
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Durations.format(Duration.ofMillis(4240))).isEqualTo("4.2s");
        assertThat(Durations.format(Duration.ofSeconds(187))).isEqualTo("3m07s");
        assertThat(Durations.format(Duration.ofMinutes(125))).isEqualTo("2h05m");
        assertThat(Durations.format(Duration.ofMillis(-5))).isEqualTo("0ms");
        assertThat(Durations.format(null)).isEqualTo("-");
    }
}
