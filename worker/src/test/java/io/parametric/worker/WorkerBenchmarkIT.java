package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedis;
import io.parametric.worker.testjobs.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Measures, and prints, how long a worker JVM takes from start to registered and how many trivial
 * jobs one slot runs per second. It asserts only that the jobs ran: the numbers depend on the machine.
 */
class WorkerBenchmarkIT {

    @Test
    void measuresStartToRegisteredAndOneSlotThroughput() {
        String fleet = TestRedis.uniqueFleet("bench");
        List<Long> startMs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try (WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleet, 1)) {
                startMs.add((System.nanoTime() - t0) / 1_000_000);
            }
        }
        Collections.sort(startMs);
        System.out.printf("BENCH worker JVM start-to-registered: median %d ms (runs %s)%n", startMs.get(1), startMs);

        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleet, 1, "--allow", "io.parametric.worker.testjobs")) {
            long pid = w.pid();
            run(manager, pid, "warm-up", 500, i -> JobPayloads.type("echo", List.of(i)));
            run(manager, pid, "registered type (echo)", 2000, i -> JobPayloads.type("echo", List.of(i)));
            run(manager, pid, "method reference (Jobs::example)", 2000,
                    i -> JobPayloads.lambda(Jobs.exampleRef(), List.of(i, "x")));
        }

        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleet, 4)) {
            int perSlot = 500;
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                for (long pid : w.pids()) {
                    manager.placeAll(pid, IntStream.range(0, perSlot).mapToObj(i -> JobPayloads.type("echo", List.of(i))).toList());
                }
                List<Outcome> outcomes = manager.next(perSlot * 4, Duration.ofSeconds(60));
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(outcomes).allMatch(Outcome::ok);
                System.out.printf("BENCH one process, 4 slots, echo%s: %d jobs in %.2f s = %.0f jobs/s%n",
                        round == 0 ? " (warm-up)" : "", perSlot * 4, seconds, perSlot * 4 / seconds);
            }
        }
    }

    private static void run(TestManager manager, long pid, String what, int n, java.util.function.IntFunction<JobPayload> job) {
        List<JobPayload> jobs = IntStream.range(0, n).mapToObj(job).toList();
        long t0 = System.nanoTime();
        manager.placeAll(pid, jobs);
        List<Outcome> outcomes = manager.next(n, Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(outcomes).allMatch(Outcome::ok);
        System.out.printf("BENCH one slot, %s: %d jobs in %.2f s = %.0f jobs/s%n", what, n, seconds, n / seconds);
    }
}
