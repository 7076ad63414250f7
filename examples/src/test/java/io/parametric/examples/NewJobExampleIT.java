package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.UsesTestRedis;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class NewJobExampleIT {

    private static ProcessManager procs;

    @BeforeAll
    static void startFleet() {
        procs = processes(4);
    }

    @AfterAll
    static void closeFleet() {
        procs.close();
    }

    @Test
    void theFiveMethodReferenceJobsReturnTheirTextWithTheirNumberAppended() {
        assertThat(NewJobExample.runFiveJobs(procs))
                .containsExactly("job #11", "job #22", "job #33", "job #44", "job #55");
    }

    @Test
    void everyFormOfNewJobRunsOnAWorkerAndReturns() {
        assertThat(NewJobExample.runEveryForm(procs))
                .isEqualTo(Arrays.asList(null, 55, "cat.png@640", "cat.png at 320px"));
    }
}
