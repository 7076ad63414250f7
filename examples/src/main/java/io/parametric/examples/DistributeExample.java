package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.JobContext;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's first example ("the process manager"): four worker processes and thirty copies of
 * one job spread evenly over them.
 *
 * <pre>{@code
 * procs::ProcessManager = processes(4)
 * sample_job::ParametricProcesses.ProcessJob = new_job() do
 *     @info "job completed"
 * end
 * distribute!(procs, (sample_job for x in 1:30) ...)
 * }</pre>
 *
 * <p>Besides logging, each job counts itself in the fleet-wide value {@code completed}, so the
 * caller can check that all thirty ran.
 */
public final class DistributeExample {

    private static final Logger log = LoggerFactory.getLogger(DistributeExample.class);

    private DistributeExample() {}

    /**
     * Runs the example against a Redis found as the manager finds it ({@code pp.redis.url},
     * {@code PP_REDIS_URL}, local 6379, or a private {@code redis-server}).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ProcessManager procs = processes(4)) {
            List<Long> pids = distributeThirty(procs);
            procs.waitFor();
            System.out.printf("30 jobs went to workers %s; %d of them completed%n",
                    pids, procs.fetch("completed", Long.class));
        }
    }

    /**
     * Places thirty copies of the sample job on the manager's workers, as evenly as possible.
     *
     * @param procs the manager
     * @return the pids that received jobs, ascending
     */
    public static List<Long> distributeThirty(ProcessManager procs) {
        ProcessJob sampleJob = newJob(() -> {
            log.info("job completed");
            JobContext.current().increment("completed", 1);
        });
        List<Long> pids = procs.distribute(Collections.nCopies(30, sampleJob));
        return pids;
    }
}
