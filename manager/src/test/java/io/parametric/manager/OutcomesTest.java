package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomesTest {

    @Test
    void aRefusalGivesTheWorkersAdviceOnce() {
        String refusal = "class com.example.Jobs is not admitted by this worker's allowlist (io.other); start the worker"
                + " with --allow / PP_ALLOW naming its package";
        ProcessError error = Outcomes.error(Outcome.failure("j1", 3, "NOT_ALLOWED", refusal, 1));

        assertThat(error.getMessage()).startsWith("job j1 on worker 3 was refused by the worker: class com.example.Jobs");
        assertThat(error.getMessage().split("PP_ALLOW", -1)).as("PP_ALLOW named once").hasSize(2);
    }

    @Test
    void aRetriedFailureSaysHowManyAttemptsRan() {
        ProcessError error = Outcomes.error(Outcome.failure("j2", 1, "JOB_FAILED", "boom", 3));

        assertThat(error.getMessage()).contains("failed after 3 attempts");
    }

    @Test
    void aReturnAsObjectHasTheFormItsTextGives() throws Exception {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> returns = List.of(f.numberNode(5), f.numberNode(5L), f.numberNode(1L << 40), f.numberNode((short) 7),
                f.numberNode(BigInteger.TEN), f.numberNode(BigInteger.ONE.shiftLeft(80)), f.numberNode(2.5), f.numberNode(0.1f),
                f.textNode("text"), f.booleanNode(true), f.arrayNode().add(1).add("a"), f.objectNode().put("k", 2L));
        Outcome outcome = Outcome.failure("j3", 1, "JOB_FAILED", "unused", 1);

        for (JsonNode node : returns) {
            Object fromText = Json.MAPPER.readValue(node.toString(), Object.class);
            Object converted = Outcomes.convert(node, Object.class, outcome);
            assertThat(converted).as("the return %s (%s)", node, node.getNodeType()).isEqualTo(fromText);
            assertThat(converted.getClass()).as("the class of the return %s", node).isEqualTo(fromText.getClass());
        }
    }
}
