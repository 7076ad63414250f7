package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SharedStateExampleIT {

    @BeforeAll
    static void useTestRedis() {
        ExamplesRedis.configure();
    }

    @Test
    void twentyIncrementJobsTakeTheSharedXFromFiveTo25() {
        try (ProcessManager procs = processes(4)) {
            assertThat(SharedStateExample.incrementSharedX(procs)).isEqualTo(25L);
            assertThat(procs.fetch("x", Long.class)).isEqualTo(25L);
        }
    }
}
