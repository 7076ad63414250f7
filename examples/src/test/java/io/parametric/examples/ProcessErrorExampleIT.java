package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class ProcessErrorExampleIT {

    private static ProcessManager procs;

    @BeforeAll
    static void startFleet() {
        procs = processes(2);
    }

    @AfterAll
    static void closeFleet() {
        procs.close();
    }

    @Test
    void waitingOnAFailedJobThrowsJobFailedWithTheRemoteClassMessageAndStackTrace() {
        long pid = procs.workerPids().get(0);

        ProcessError e = ProcessErrorExample.failedJob(procs, pid);

        assertThat(e.reason()).isEqualTo(Reason.JOB_FAILED);
        assertThat(e.pid()).isEqualTo(pid);
        assertThat(e.jobId()).isNotBlank();
        assertThat(e.errorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(e.getMessage()).contains("disk full");
        assertThat(e.remoteStackTrace()).contains("ProcessErrorExample");
    }

    @Test
    void anUnknownPidIsNoSuchWorkerNamingThePidAndThePidsThereAre() {
        ProcessError e = ProcessErrorExample.unknownWorker(procs);

        assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_WORKER);
        assertThat(e.getMessage()).contains("999999").contains(procs.workerPids().get(0).toString());
    }

    @Test
    void aWaitThatGivesUpIsTimeoutNamingTheBusyPid() {
        long pid = procs.workerPids().get(1);

        ProcessError e = ProcessErrorExample.waitGaveUp(procs, pid);

        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(e.getMessage()).contains(Long.toString(pid));
    }
}
