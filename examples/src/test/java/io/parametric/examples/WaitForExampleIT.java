package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class WaitForExampleIT {

    @Test
    void waitForAfterAssignToWorkerTwoReturns55() {
        try (ProcessManager pm = processes(4)) {
            long worker2 = pm.workerPids().get(1);

            assertThat(WaitForExample.assignAndWait(pm, worker2)).isEqualTo(55);
            assertThat(pm.get(worker2).isActive()).isFalse();
        }
    }
}
