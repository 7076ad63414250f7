package io.parametric.bench;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Round-trip times of one sequential loop, recorded in an HdrHistogram (3 significant digits),
 * after a warm-up that is not recorded.
 *
 * <pre>{@code
 * Latency.Summary s = Latency.measure(1_000, 10_000, () -> manager.submit(pid, job).get(), System.err);
 * }</pre>
 */
final class Latency {

    private Latency() {}

    /** One round trip: place a job, wait for its result. */
    @FunctionalInterface
    interface RoundTrip {
        void run() throws Exception;
    }

    /**
     * The percentiles of a run, in milliseconds.
     *
     * @param p50 median
     * @param p90 90th percentile
     * @param p99 99th percentile
     * @param p999 99.9th percentile
     * @param max slowest
     * @param samples how many round trips were recorded
     */
    record Summary(double p50, double p90, double p99, double p999, double max, long samples) {

        /** @return the figures in table order, named {@code p50 p90 p99 p99.9 max} */
        java.util.Map<String, Double> byName() {
            java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("p50", p50);
            m.put("p90", p90);
            m.put("p99", p99);
            m.put("p99.9", p999);
            m.put("max", max);
            return m;
        }
    }

    /**
     * @param warmup round trips run first and not recorded; then the JIT compilers are let
     *     settle ({@link JitSettle})
     * @param samples round trips recorded
     * @param trip one round trip
     * @param log where a measurement that did not wait for the compilers is said
     * @return the percentiles
     * @throws Exception what a round trip threw
     */
    static Summary measure(int warmup, int samples, RoundTrip trip, PrintStream log) throws Exception {
        for (int i = 0; i < warmup; i++) {
            trip.run();
        }
        JitSettle.await(log, "sequential latency");
        Histogram h = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            trip.run();
            h.recordValue(Math.min(System.nanoTime() - t0, h.getHighestTrackableValue()));
        }
        return summarize(h);
    }

    private static Summary summarize(Histogram h) {
        return new Summary(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
