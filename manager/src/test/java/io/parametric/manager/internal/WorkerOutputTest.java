package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class WorkerOutputTest {

    @Test
    void aWorkerLogLineKeepsItsLevelAndMessage() {
        WorkerOutput.Leveled l = WorkerOutput.parse("12:00:01.250 WARN  [slot-3] Slot - worker 3 (w) lost Redis; retrying");
        assertThat(l.level()).isEqualTo(Level.WARN);
        assertThat(l.text()).isEqualTo("[slot-3] Slot - worker 3 (w) lost Redis; retrying");
    }

    @Test
    void perJobLinesComeAtDebug() {
        assertThat(WorkerOutput.parse("12:00:01.250 INFO  [slot-3] Slot - job 1f2e done on worker 3 in 4 ms (lambda)").level())
                .isEqualTo(Level.DEBUG);
        assertThat(WorkerOutput.parse("12:00:01.250 ERROR [slot-3] Slot - job 1f2e could not be finished").level())
                .isEqualTo(Level.ERROR);
        assertThat(WorkerOutput.parse("12:00:01.250 INFO  [main] Slot - worker 3 (w) registered in fleet 'f'").level())
                .isEqualTo(Level.INFO);
    }

    @Test
    void theJvmsNoteOnReadingTheWorkersCompilerDirectivesComesAtDebug() {
        assertThat(WorkerOutput.parse("2 compiler directives added").level()).isEqualTo(Level.DEBUG);
        assertThat(WorkerOutput.parse("2 compiler directives added by a job").level()).isEqualTo(Level.INFO);
    }

    @Test
    void anythingElseIsForwardedAtInfoAsPrinted() {
        WorkerOutput.Leveled l = WorkerOutput.parse("\tat com.example.Job.run(Job.java:12)");
        assertThat(l.level()).isEqualTo(Level.INFO);
        assertThat(l.text()).isEqualTo("\tat com.example.Job.run(Job.java:12)");
    }
}
