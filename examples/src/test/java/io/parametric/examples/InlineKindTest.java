package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.Async;
import io.parametric.shared.JobContext;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * API.md's "a test adds a third kind": {@link Inline}, found through {@link java.util.ServiceLoader}
 * from this module's {@code META-INF/services}, runs the seed's essentials with no Redis.
 */
class InlineKindTest {

    @Test
    void aThirdKindAddedThroughServiceLoaderRunsTheSeedsEssentials() {
        try (ProcessManager procs = processes(2, Inline.class)) {
            assertThat(procs.workerPids(Inline.class)).containsExactly(1L, 2L);
            assertThat(procs.get(1)).hasToString("1 |Inline process: inline-1 (inactive)");
            procs.put("x", 5);
            assertThat(procs.distribute(Collections.nCopies(20, newJob(() -> JobContext.current().increment("x", 1)))))
                    .containsExactly(1L, 2L);
            procs.assign(2, newJob(() -> 55));
            assertThat(procs.waitFor().get(1)).isEqualTo(55);
            assertThat(procs.fetch("x")).isEqualTo(25);
        }
    }

    @Test
    void kindsMixInOneManager() {
        try (ProcessManager procs = processes(1, Inline.class)) {
            procs.addWorkers(1, Async.class);
            assertThat(procs.workerPids()).containsExactly(1L, 2L);
            assertThat(procs.workerPids(Async.class)).containsExactly(2L);
            assertThat(procs.distribute(newJob(() -> "a"), newJob(() -> "b"))).containsExactly(1L, 2L);
            assertThat(procs.waitFor(1, 2)).containsExactly("a", "b");
        }
    }
}
