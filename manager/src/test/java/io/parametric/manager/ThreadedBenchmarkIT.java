package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.Async;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures and prints (never asserts) what a user feels: how long processes(4) takes to have four
 * worker JVMs ready, the round trip of one assign + waitFor, and 1,000 trivial jobs distributed
 * over four workers end to end.
 */
@ExtendWith(UsesTestRedis.class)
class ThreadedBenchmarkIT {

    @Test
    void printsStartupRoundTripAndThroughput() {
        long t0 = System.nanoTime();
        try (ProcessManager procs = processes(4)) {
            long ready = System.nanoTime() - t0;
            report("Threaded", procs, ready);
        }
    }

    @Test
    void printsTheSameForAsyncWorkers() {
        long t0 = System.nanoTime();
        try (ProcessManager procs = processes(4, Async.class)) {
            report("Async", procs, System.nanoTime() - t0);
        }
    }

    private static void report(String kind, ProcessManager procs, long readyNanos) {
        ProcessJob trivial = newJob(() -> 1);
        for (int i = 0; i < 20; i++) {
            procs.assign(1, trivial);
            procs.waitFor(Duration.ofSeconds(60), 1);
        }
        List<Long> trips = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t = System.nanoTime();
            procs.assign(2, trivial);
            procs.waitFor(Duration.ofSeconds(60), 2);
            trips.add(System.nanoTime() - t);
        }
        Collections.sort(trips);
        long t = System.nanoTime();
        List<Long> pids = procs.distribute(Collections.nCopies(1000, trivial));
        long placed = System.nanoTime() - t;
        procs.waitFor(Duration.ofSeconds(120));
        long all = System.nanoTime() - t;
        assertThat(pids).hasSize(4);
        System.out.printf("%n[benchmark] %s: processes(4) ready in %d ms; assign+waitFor round trip median %.2f ms "
                        + "(p90 %.2f ms, 50 runs); distribute(1000 trivial jobs) placed in %d ms, all done in %d ms (%.0f jobs/s)%n",
                kind, readyNanos / 1_000_000, trips.get(25) / 1e6, trips.get(45) / 1e6, placed / 1_000_000, all / 1_000_000,
                1000 / (all / 1e9));
    }
}
