package io.parametric.bench;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Waits, after a warm-up, until this JVM's JIT compilers have gone quiet, so a measured run does
 * not share the two cores with compilations its warm-up queued (C2 compiles in the background and
 * can take seconds after the code it compiles last ran). Bounded: after {@link #LIMIT} the run is
 * measured anyway, and the log says so. Only this JVM's compilers are watched: the benchmark's
 * manager (or baseline) runs here.
 *
 * <pre>{@code
 * JitSettle.await(log, "submit loop");
 * }</pre>
 */
final class JitSettle {

    /** How long compilation must add almost nothing before a run starts. */
    private static final Duration WINDOW = Duration.ofMillis(500);
    /** What "almost nothing" is: compile time added within one window (2 % of one core). */
    private static final long QUIET_MILLIS = 10;
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;

    private JitSettle() {}

    /**
     * @param log where a run measured before the compilers went quiet is said
     * @param what the run about to be measured, for that line
     */
    static void await(PrintStream log, String what) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        int polls = (int) (WINDOW.toMillis() / POLL_MILLIS);
        long[] recent = new long[polls + 1];
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int i = 0; ; i++) {
            recent[i % recent.length] = jit.getTotalCompilationTime();
            if (i >= polls && recent[i % recent.length] - recent[(i + 1) % recent.length] <= QUIET_MILLIS) {
                return;
            }
            if (System.nanoTime() > deadline) {
                log.printf("[bench] the JIT compilers were still busy after %d s of waiting; measuring the %s anyway%n",
                        LIMIT.toSeconds(), what);
                return;
            }
            BenchJobs.sleep(POLL_MILLIS);
        }
    }
}
