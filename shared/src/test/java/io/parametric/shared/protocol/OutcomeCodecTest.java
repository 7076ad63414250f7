package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.testing.TestSecret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
    void refusesAnUnsignedFailureWithoutAReason() {
        assertThatThrownBy(() -> codec.read("2 - {\"jobId\":\"j4\",\"ok\":false}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsigned and not a script's failure");
    }

    @Test
    void acceptsAScriptsFailureUnsigned() {
        Outcome read = codec.read("2 - " + Json.write(Outcome.failure("j3", 3, "CANCELLED", "cancelled", 1)));
        assertThat(read.reason()).isEqualTo("CANCELLED");
    }

    /** Outcome texts of every shape: the mapper's binding of each is what the codec must read and write. */
    static List<String> outcomeTexts() {
        return List.of(
                "{\"v\":2,\"jobId\":\"m.1\",\"pid\":3,\"ok\":true,\"value\":{\"a\":[1,2.5,\"x\"]},\"attempt\":2}",
                "{\"v\":2,\"jobId\":\"m.2\",\"pid\":3,\"ok\":true,\"value\":null,\"attempt\":1}",
                "{\"jobId\":\"m.3\",\"ok\":true}",
                "{\"v\":2,\"jobId\":\"m.4\",\"pid\":7,\"ok\":false,\"reason\":\"JOB_FAILED\",\"errorClass\":\"java.lang.X\","
                    + "\"message\":\"boom \\\"q\\\" \\u00e9\",\"stackTrace\":\"at a\\nat b\",\"attempt\":3}",
                "{\"extra\":{\"deep\":[{\"jobId\":\"no\"}]},\"jobId\":\"m.5\",\"more\":[1,2],\"ok\":true,\"value\":\"s\"}",
                "{\"v\":\"2\",\"jobId\":\"m.6\",\"pid\":\"9\",\"ok\":\"true\",\"attempt\":2.0,\"message\":5}",
                "{\"jobId\":\"m.7\",\"jobId\":\"m.8\",\"ok\":false,\"reason\":null}"
        );
    }

    @ParameterizedTest
    @MethodSource("outcomeTexts")
    void readsAnOutcomeAsTheMapperBindsIt(String json) throws Exception {
        Outcome bound = Json.MAPPER.readValue(json, Outcome.class);

        Outcome read = codec.read(new String(codec.seal(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(bound);
    }

    @ParameterizedTest
    @MethodSource("outcomeTexts")
    void writesAnOutcomeAsTheMapperWritesIt(String json) throws Exception {
        Outcome bound = Json.MAPPER.readValue(json, Outcome.class);

        assertThat(new String(OutcomeCodec.json(bound), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.writeBytes(bound), StandardCharsets.UTF_8));
    }

    @Test
    void writesAThrownOutcomeAsTheMapperWritesIt() {
        Outcome thrown = Outcome.thrown("m.9", 4, new IllegalStateException("bad \u0001 state\n"), 2);

        assertThat(OutcomeCodec.json(thrown)).isEqualTo(Json.writeBytes(thrown));
    }

    @Test
    void refusesAnOutcomeWhoseScalarFieldHoldsAnObject() {
        String json = "{\"jobId\":{\"id\":\"m.1\"},\"ok\":true}";
        String sealed = new String(codec.seal(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.read(sealed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an outcome");
    }
}
