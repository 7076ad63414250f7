package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.testing.UsesTestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures and prints (never asserts a time) what a plain loop of {@code submit}s gets end to end
 * on {@code processes(2)}: 20,000 trivial jobs submitted one by one from one thread, then every
 * result. Run it alone: {@code mvn -o -B -pl manager -am verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SubmitLoopBenchmarkIT}.
 */
@ExtendWith(UsesTestRedis.class)
class SubmitLoopBenchmarkIT {

    private static final int JOBS = 20_000;

    @Test
    void printsJobsPerSecondOfAPlainSubmitLoop() {
        try (ProcessManager procs = processes(2)) {
            ProcessJob trivial = newJob(() -> 1);
            run(procs, trivial, 2_000);
            for (int round = 1; round <= 3; round++) {
                long t0 = System.nanoTime();
                List<JobFuture<Object>> futures = run(procs, trivial, JOBS);
                long all = System.nanoTime() - t0;
                assertThat(futures).allSatisfy(f -> assertThat(f.join()).isEqualTo(1));
                System.out.printf("%n[benchmark] submit loop, processes(2), round %d: %d jobs submitted and done in %d ms (%.0f jobs/s)%n",
                        round, JOBS, all / 1_000_000, JOBS / (all / 1e9));
            }
        }
    }

    private static List<JobFuture<Object>> run(ProcessManager procs, ProcessJob job, int n) {
        List<JobFuture<Object>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(procs.submit(job));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return futures;
    }
}
