package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class SharedStateExampleIT {

    @Test
    void twentyIncrementJobsTakeTheSharedXFromFiveTo25() {
        try (ProcessManager procs = processes(4)) {
            assertThat(SharedStateExample.incrementSharedX(procs)).isEqualTo(25L);
            assertThat(procs.fetch("x", Long.class)).isEqualTo(25L);
        }
    }
}
