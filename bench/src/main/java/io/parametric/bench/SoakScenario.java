package io.parametric.bench;

import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code soak} scenario: {@code processes(n)} at a steady rate for some minutes, printing
 * each minute Redis's {@code used_memory}, its key count and the manager's heap after a GC, so
 * a leak on either side shows as a slope.
 *
 * <pre>{@code
 * new SoakScenario(settings, redis, System.out, System.err).run(10, 500);
 * }</pre>
 */
final class SoakScenario {

    /** Placements happen in this many batches a second. */
    private static final int TICKS_PER_SECOND = 10;

    private final Settings settings;
    private final RedisInspector redis;
    private final PrintStream out;
    private final PrintStream log;

    SoakScenario(Settings settings, RedisInspector redis, PrintStream out, PrintStream log) {
        this.settings = settings;
        this.redis = redis;
        this.out = out;
        this.log = log;
    }

    /**
     * @param minutes how long
     * @param rate jobs per second
     * @return the failed jobs (0 on a healthy fleet)
     * @throws InterruptedException when interrupted
     */
    long run(int minutes, int rate) throws InterruptedException {
        ProcessJob job = BenchJobs.noOp();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try (ProcessManager manager = processes(settings.slots())) {
            log.printf("[bench] soak: %d jobs/s for %d min on %d workers%n", rate, minutes, settings.slots());
            out.println("| minute | jobs done | failed | Redis used_memory | Redis keys | manager heap after GC |");
            out.println("|---|---|---|---|---|---|");
            row(0, done, failed);
            int perTick = Math.max(1, rate / TICKS_PER_SECOND);
            ticker.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perTick; i++) {
                    try {
                        manager.submit(job).whenComplete((r, e) -> (e == null ? done : failed).incrementAndGet());
                    } catch (RuntimeException e) {
                        failed.incrementAndGet(); // a placement that failed (Redis gone): counted, and the rate goes on
                    }
                }
            }, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
            for (int minute = 1; minute <= minutes; minute++) {
                Thread.sleep(60_000); // the report is once a minute by design
                row(minute, done, failed);
            }
            ticker.shutdown();
            if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the soak's placements did not stop within 10 s");
            }
            // the last jobs finish before the manager closes, which would fail the ones still queued
            manager.waitFor(java.time.Duration.ofMinutes(2));
            return failed.get();
        } finally {
            ticker.shutdownNow();
        }
    }

    private void row(int minute, AtomicLong done, AtomicLong failed) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        out.printf(Locale.ROOT, "| %d | %,d | %,d | %,d B | %,d | %,d B |%n",
                minute, done.get(), failed.get(), redis.usedMemory(), redis.keyCount(), heap);
        out.flush();
    }
}
