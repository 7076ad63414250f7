package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogsTest {

    @Test
    void withoutABindingWarningsAndErrorsStillReachStderrAndNothingBelow() {
        Logger log = new Logs.StderrWarnings("pp.test");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            log.info("not shown {}", 1);
            log.debug("not shown either");
            log.warn("worker {} died with status {}", 3, 75);
            log.error("gave up", new IllegalStateException("boom"));
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "WARN pp.test - worker 3 died with status 75",
                "ERROR pp.test - gave up (java.lang.IllegalStateException: boom)");
    }

    @Test
    void withABindingLoggersAreSlf4jsOwn() {
        assertThat(Logs.get(LogsTest.class)).isNotInstanceOf(Logs.StderrWarnings.class);
        assertThat(Logs.get("pp.worker.w-1").getName()).isEqualTo("pp.worker.w-1");
    }
}
