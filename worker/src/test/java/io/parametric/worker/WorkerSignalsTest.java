package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.Fleet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a hand-over message ({@code J <id> <entry>}) gives a slot: a job, or only a wake-up. */
class WorkerSignalsTest {

    @Test
    void aHandOverWithinTheLimitGivesTheJobItsEntryAsBytes() {
        Fleet.TakenJob job = WorkerSignals.handedJob("J m1.7 2 sig {\"id\":\"m1.7\"}", 100);
        assertThat(job.id()).isEqualTo("m1.7");
        assertThat(new String(job.entry(), StandardCharsets.UTF_8)).isEqualTo("2 sig {\"id\":\"m1.7\"}");
        assertThat(job.attempt()).isEqualTo(1);
    }

    @Test
    void aHandOverLongerThanAnEntryMayBeOnlyWakesTheSlot() {
        assertThat(WorkerSignals.handedJob("J m1.7 " + "x".repeat(101), 100)).as("in characters").isNull();
        assertThat(WorkerSignals.handedJob("J m1.7 " + "é".repeat(60), 100)).as("60 characters, 120 bytes").isNull();
        assertThat(WorkerSignals.handedJob("J m1.7 " + "é".repeat(50), 100)).as("100 bytes").isNotNull();
    }

    @Test
    void aMessageNotInTheFormOnlyWakesTheSlot() {
        assertThat(WorkerSignals.handedJob("J m1.7", 100)).isNull();
        assertThat(WorkerSignals.handedJob("J  entry", 100)).isNull();
    }
}
