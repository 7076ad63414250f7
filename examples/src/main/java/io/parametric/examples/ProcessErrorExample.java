package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import java.time.Duration;

/**
 * The seed's {@code ProcessError}: what the manager throws when a job failed on a worker, when a
 * pid is unknown and when a wait gives up. Each carries a reason, the ids, and a message with the
 * likely cause and the fix.
 */
public final class ProcessErrorExample {

    private ProcessErrorExample() {}

    /**
     * Runs the example and prints each error.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(2)) {
            long pid = procs.workerPids().get(0);
            for (ProcessError e : new ProcessError[] {failedJob(procs, pid), unknownWorker(procs), waitGaveUp(procs, pid)}) {
                // One line each; a JOB_FAILED error keeps the worker's stack trace in remoteStackTrace().
                System.out.println(e.reason() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Waits on a worker whose job threw.
     *
     * @param procs the manager
     * @param pid the worker to run the failing job on
     * @return the JOB_FAILED error, with the remote class, message and stack trace
     */
    public static ProcessError failedJob(ProcessManager procs, long pid) {
        procs.assign(pid, newJob(() -> {
            throw new IllegalStateException("disk full");
        }));
        try {
            procs.waitFor(pid);
            throw new AssertionError("waitFor returned although the job failed");
        } catch (ProcessError e) {
            System.out.println("job " + e.jobId() + " on " + e.pid() + " threw " + e.errorClass());
            return e;
        }
    }

    /**
     * Asks for a pid the manager does not have.
     *
     * @param procs the manager
     * @return the NO_SUCH_WORKER error naming the pid and the pids it has
     */
    public static ProcessError unknownWorker(ProcessManager procs) {
        try {
            procs.get(999_999);
            throw new AssertionError("get(999999) found a worker");
        } catch (ProcessError e) {
            return e;
        }
    }

    /**
     * Waits with a timeout shorter than the job.
     *
     * @param procs the manager
     * @param pid the worker to run the slow job on
     * @return the TIMEOUT error naming the busy pid
     */
    public static ProcessError waitGaveUp(ProcessManager procs, long pid) {
        procs.assign(pid, newJob(() -> {
            Thread.sleep(2_000);
            return "late";
        }));
        try {
            procs.waitFor(Duration.ofMillis(200), pid);
            throw new AssertionError("waitFor did not time out");
        } catch (ProcessError e) {
            return e;
        }
    }
}
