package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.testing.TestRedis;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Errors a user can act on that need no running fleet of their own. */
class ErrorsIT {

    @Test
    void aWorkerThatCannotStartFailsProcessesWithItsOutput() {
        System.setProperty("pp.redis.url", TestRedis.url());
        System.setProperty("pp.worker.classpath", "/nonexistent/classes");
        try {
            assertThatThrownBy(() -> processes(1))
                    .isInstanceOfSatisfying(ProcessError.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.WORKER_LOST);
                        assertThat(e.getMessage()).contains("exited before it registered").contains("WorkerMain");
                    });
        } finally {
            System.clearProperty("pp.worker.classpath");
            System.clearProperty("pp.redis.url");
        }
    }

    @Test
    void aLambdaCapturingAValueThatCannotTravelIsRefusedAtNewJob() {
        InputStream in = new ByteArrayInputStream(new byte[] {1, 2});
        assertThatThrownBy(() -> newJob(() -> in.read()))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_PAYLOAD);
                    assertThat(e.getMessage()).contains("captured").contains("ByteArrayInputStream");
                });
        Object lock = new Object();
        assertThatThrownBy(() -> newJob(() -> lock.hashCode()))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PAYLOAD));
        int travels = 5;
        assertThat(newJob(() -> travels + 1)).isNotNull();
    }
}
