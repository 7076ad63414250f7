package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code waitfor} example: a job assigned to worker 2, and the manager waiting for it
 * and reading its return. The seed sleeps ten seconds; this sleeps 300 ms.
 *
 * <pre>{@code
 * pm = processes(4)
 * jb = new_job() do
 *     sleep(10)
 *     @info "hello world!"
 *     return 55
 * end
 * assign!(pm, 2, jb)
 * ret = waitfor(pm, 2); println("worker 2 completed, it returned: ", ret[1])
 * }</pre>
 */
public final class WaitForExample {

    private static final Logger log = LoggerFactory.getLogger(WaitForExample.class);

    private WaitForExample() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager pm = processes(4)) {
            long pid = pm.workerPids().get(1);
            Object returned = assignAndWait(pm, pid);
            System.out.println("worker " + pid + " completed, it returned: " + returned);
        }
    }

    /**
     * Assigns the sleeping job to one worker and waits for its return.
     *
     * @param pm the manager
     * @param pid the worker to run it on
     * @return what the job returned: 55
     */
    public static Object assignAndWait(ProcessManager pm, long pid) {
        ProcessJob jb = newJob(() -> {
            Thread.sleep(300);
            log.info("hello world!");
            return 55;
        });

        pm.assign(pid, jb);

        List<Object> ret = pm.waitFor(pid);
        return ret.get(0);
    }
}
