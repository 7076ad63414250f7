package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.examples.BatchExample.Results;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class BatchExampleIT {

    @Test
    void mapSubmitAllAndTheExecutorReturnTypedResultsInOrder() throws Exception {
        try (ProcessManager procs = processes(2)) {
            Results r = BatchExample.run(procs);

            assertThat(r.squares()).containsExactly(1L, 4L, 9L, 16L, 25L, 36L, 49L, 64L, 81L, 100L);
            assertThat(r.squares().get(0)).isInstanceOf(Long.class);
            assertThat(r.lengths()).containsExactly(1, 2);
            assertThat(r.answer()).isInstanceOf(Long.class).isEqualTo(42L);
            assertThat(procs.workers()).noneMatch(w -> w.isClosed());
        }
    }
}
