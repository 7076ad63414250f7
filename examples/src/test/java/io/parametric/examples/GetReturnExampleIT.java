package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.examples.GetReturnExample.Returns;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class GetReturnExampleIT {

    @Test
    void theWorkerKeepsItsLatestReturnAndGetReturnReadsItWithoutClearingIt() {
        try (ProcessManager procs = processes(2)) {
            Returns returns = GetReturnExample.readReturns(procs);

            assertThat(returns.waited()).isEqualTo(List.of(42));
            assertThat(returns.untyped()).isEqualTo(List.of(42));
            assertThat(returns.again()).isEqualTo(List.of(42));
            assertThat(returns.typed()).isEqualTo(42);
            assertThat(returns.fromWorker()).isEqualTo(42);
        }
    }
}
