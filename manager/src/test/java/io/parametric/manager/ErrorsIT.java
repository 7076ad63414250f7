package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** A lambda capturing something that cannot travel is refused when the job is made, naming it. */
class ErrorsIT {

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
