package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.Async;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArgumentChecksTest {

    @Test
    void hugeTimeoutsAndDelaysSaturateAndRetriesAreBounded() {
        ProcessJob job = newJob(() -> 1);
        assertThat(job.withTimeout(Duration.ofMillis(Long.MAX_VALUE)).timeout()).contains(Duration.ofDays(365));
        assertThat(job.withTimeout(Duration.ofSeconds(Long.MAX_VALUE)).timeout()).contains(Duration.ofDays(365));
        assertThat(job.withDelay(Duration.ofSeconds(Long.MAX_VALUE)).delay()).isEqualTo(ProcessJob.MAX_DELAY);
        assertThat(job.withRetries(100).retries()).isEqualTo(100);
        assertThatThrownBy(() -> job.withRetries(101)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 100");
    }

    @Test
    void namesMustBeNoneOrOnePerWorker() {
        assertThatThrownBy(() -> processes(3, Async.class, "a", "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly 3");
        assertThatThrownBy(() -> processes(-1, Async.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void processesRefusesToRunInsideAWorker() {
        System.setProperty("pp.worker", "true");
        try {
            assertThatThrownBy(() -> processes(1, Async.class))
                    .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.ILLEGAL_STATE));
        } finally {
            System.clearProperty("pp.worker");
        }
    }

    @Test
    void jobOptionsReturnCopies() {
        ProcessJob job = newJob(() -> 1);
        ProcessJob tuned = job.withTimeout(Duration.ofSeconds(3)).withRetries(2).withDelay(Duration.ofSeconds(1)).pinned();
        assertThat(job.timeout()).isEmpty();
        assertThat(job.retries()).isZero();
        assertThat(job.isPinned()).isFalse();
        assertThat(tuned.timeout()).contains(Duration.ofSeconds(3));
        assertThat(tuned.retries()).isEqualTo(2);
        assertThat(tuned.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(tuned.isPinned()).isTrue();
        assertThat(tuned.payload().timeoutMs()).isEqualTo(3000L);
        assertThatThrownBy(() -> job.withRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> job.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typedJobsCarryTheirTypeName() {
        assertThat(newJob("resize", "cat.png", 640).jobType()).isEqualTo("resize");
        assertThat(newJob(() -> 1).jobType()).isEmpty();
        assertThatThrownBy(() -> newJob(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lambdaCapturingSomethingThatCannotTravelIsRefusedAtNewJob() {
        Object notJson = new Object() {
            @Override
            public boolean equals(Object o) {
                return false;
            }
        };
        assertThatThrownBy(() -> newJob(() -> notJson.hashCode()))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PAYLOAD));
    }

    @Test
    void aClosedManagerRefusesWork() {
        ProcessManager procs = processes(1, Async.class);
        procs.close();
        assertThatThrownBy(() -> procs.distribute(newJob(() -> 1)))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.ILLEGAL_STATE));
        procs.close();
    }
}
