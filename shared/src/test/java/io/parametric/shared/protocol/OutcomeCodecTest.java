package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.testing.TestSecret;
import org.junit.jupiter.api.Test;

class OutcomeCodecTest {

    private final OutcomeCodec codec = new OutcomeCodec(TestSecret.secret(), 1024);

    @Test
    void readsWhatItWrote() {
        Outcome read = codec.read(codec.write(Outcome.success("j1", 3, Json.tree(42), 1)));
        assertThat(read.jobId()).isEqualTo("j1");
        assertThat(read.value().intValue()).isEqualTo(42);
    }

    @Test
    void refusesAnOutcomeLargerThanAnyReturnBeforeReadingIt() {
        String big = codec.write(Outcome.success("j1", 3, Json.tree("x".repeat(2000)), 1));
        assertThatThrownBy(() -> codec.read(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the").hasMessageContaining("dropped unread");
    }

    @Test
    void refusesAReturnSignedWithAnotherSecretOrNotSigned() {
        String other = new OutcomeCodec(FleetSecret.of("another-secret-of-16-chars"), 1024)
                .write(Outcome.success("j1", 3, Json.tree(1), 1));
        assertThatThrownBy(() -> codec.read(other)).hasMessageContaining("wrong signature");
        String unsigned = "2 - " + Json.write(Outcome.success("j2", 3, Json.tree(1), 1));
        assertThatThrownBy(() -> codec.read(unsigned)).hasMessageContaining("unsigned and not a script's failure");
    }

    @Test
    void acceptsAScriptsFailureUnsigned() {
        Outcome read = codec.read("2 - " + Json.write(Outcome.failure("j3", 3, "CANCELLED", "cancelled", 1)));
        assertThat(read.reason()).isEqualTo("CANCELLED");
    }
}
