package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class DistributeExampleIT {

    @Test
    void thirtyDistributedJobsAllRunSpreadOverAllFourWorkerProcesses() {
        try (ProcessManager procs = processes(4)) {
            List<Long> pids = DistributeExample.distributeThirty(procs);
            procs.waitFor();

            assertThat(pids).isEqualTo(procs.workerPids()).hasSize(4);
            assertThat(procs.fetch("completed", Long.class)).isEqualTo(30L);
        }
    }
}
