package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Outcome;
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
}
