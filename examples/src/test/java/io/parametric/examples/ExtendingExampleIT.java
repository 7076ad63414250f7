package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.examples.ExtendingExample.Result;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.Async;
import io.parametric.shared.JobContext;
import org.junit.jupiter.api.Test;

class ExtendingExampleIT {

    @Test
    void aThirdKindFoundThroughServiceLoaderRunsJobsOnTheCallersThread() {
        try (ProcessManager procs = processes(2, Inline.class)) {
            Result result = ExtendingExample.useInlineWorkers(procs);

            assertThat(result.pids()).hasSize(2).isEqualTo(procs.workerPids());
            assertThat(procs.get(result.pids().get(0)).kind()).isEqualTo(Inline.class);
            assertThat(result.shown()).startsWith(result.pids().get(0) + " |Inline process: inline-");
            assertThat(result.threads()).containsOnly(Thread.currentThread().getName());
            assertThat(result.x()).isEqualTo(8L);
        }
    }

    @Test
    void inlineWorkersJoinAManagerOfAnotherKindAndTakeItsJobs() {
        try (ProcessManager procs = processes(1, Async.class).addWorkers(2, Inline.class, "left", "right")) {
            assertThat(procs.workerPids(Async.class)).hasSize(1);
            assertThat(procs.workerPids(Inline.class)).hasSize(2);

            long right = procs.assign("right", newJob(() -> JobContext.current().workerName()));

            assertThat(procs.get(right).kind()).isEqualTo(Inline.class);
            assertThat(procs.waitFor(right)).containsExactly("right");
        }
    }
}
