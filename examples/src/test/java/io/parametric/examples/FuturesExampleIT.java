package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class FuturesExampleIT {

    @Test
    void futuresProgressCancelTimeoutRetriesDelayAndDeadLettersOnThreadedWorkers() throws Exception {
        try (ProcessManager procs = processes(2)) {
            assertThat(FuturesExample.future(procs)).containsExactly(42, 42);
            assertThat(FuturesExample.progress(procs)).containsExactly(0.5, 1.0);
            assertThat(FuturesExample.cancel(procs)).isTrue();
            ProcessError timeout = FuturesExample.timeout(procs);
            assertThat(timeout.reason()).isEqualTo(ProcessError.Reason.JOB_TIMEOUT);
            assertThat(((Number) FuturesExample.retries(procs)).longValue()).isEqualTo(3);
            assertThat(FuturesExample.delay(procs)).isEqualTo("later");
            assertThat(FuturesExample.deadLetters(procs)).isEqualTo(List.of(0, 0, 0));
        }
    }
}
