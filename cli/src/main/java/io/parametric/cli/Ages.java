package io.parametric.cli;

import java.time.Duration;

/** Short human forms of durations for tables: {@code 850ms}, {@code 4.2s}, {@code 3m07s}, {@code 2h05m}. */
final class Ages {

    private Ages() {}

    /**
     * @param d a duration, or null
     * @return its short form; {@code -} for null
     */
    static String format(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
