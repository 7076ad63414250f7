package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class ConnectExampleIT {

    @Test
    void lambdaJobsReturnTheirSquares() {
        try (ProcessManager procs = processes(2)) {
            assertThat(ConnectExample.squares(procs)).containsExactly(1, 4, 9, 16, 25);
        }
    }
}
