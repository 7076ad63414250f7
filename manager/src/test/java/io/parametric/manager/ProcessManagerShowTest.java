package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.Async;
import org.junit.jupiter.api.Test;

/** How a manager shows itself: one line, with the count's grammar right (issue 11). */
class ProcessManagerShowTest {

    @Test
    void oneLineSayingHowManyWorkers() {
        try (ProcessManager one = processes(1, Async.class); ProcessManager two = processes(2, Async.class)) {
            assertThat(one.toString()).matches("ProcessManager\\[fleet \\S+, 1 worker\\]");
            assertThat(two.toString()).matches("ProcessManager\\[fleet \\S+, 2 workers\\]");
        }
    }
}
