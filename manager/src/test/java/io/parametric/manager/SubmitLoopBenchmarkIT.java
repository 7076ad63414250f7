package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.testing.UsesTestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures and prints (never asserts a time) what plain {@code submit} calls get end to end on
 * {@code processes(2)}: 20,000 trivial jobs submitted one by one — from one thread, then from 8
 * threads at once (where concurrent submits are coalesced into shared placements) — then every
 * result. Run it alone: {@code mvn -o -B -pl manager -am verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SubmitLoopBenchmarkIT}.
 */
@ExtendWith(UsesTestRedis.class)
class SubmitLoopBenchmarkIT {

    private static final int JOBS = 20_000;

    @Test
    void printsJobsPerSecondOfSubmitLoops() throws Exception {
        try (ProcessManager procs = processes(2)) {
            ProcessJob trivial = newJob(() -> 1);
            loop(procs, trivial, 2_000);
            for (int threads : new int[] {1, 8, 1, 8}) {
                long t0 = System.nanoTime();
                List<JobFuture<Object>> futures = submitFrom(threads, procs, trivial);
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
                long all = System.nanoTime() - t0;
                assertThat(futures).hasSize(JOBS).allSatisfy(f -> assertThat(f.join()).isEqualTo(1));
                System.out.printf("%n[benchmark] submit loop, processes(2), %d thread(s): %d jobs submitted and done in %d ms (%.0f jobs/s)%n",
                        threads, JOBS, all / 1_000_000, JOBS / (all / 1e9));
            }
        }
    }

    private static List<JobFuture<Object>> submitFrom(int threads, ProcessManager procs, ProcessJob job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<JobFuture<Object>>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> loop(procs, job, JOBS / threads)));
            }
            List<JobFuture<Object>> all = new ArrayList<>(JOBS);
            for (Future<List<JobFuture<Object>>> part : parts) {
                all.addAll(part.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<JobFuture<Object>> loop(ProcessManager procs, ProcessJob job, int n) {
        List<JobFuture<Object>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(procs.submit(job));
        }
        return futures;
    }
}
