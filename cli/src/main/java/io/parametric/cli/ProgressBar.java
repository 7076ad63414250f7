package io.parametric.cli;

import java.time.Duration;

/** One line of progress: {@code [#########...........]  45/100  45%  12.5 jobs/s  4.4s left}. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private ProgressBar() {}

    /**
     * @param done finished so far
     * @param total all of them (at least done)
     * @param jobsPerSecond the rate so far
     * @return the line, without a newline
     */
    static String render(long done, long total, double jobsPerSecond) {
        long all = Math.max(total, done);
        int filled = all == 0 ? WIDTH : (int) (WIDTH * done / all);
        String left = jobsPerSecond <= 0 ? "?" : Ages.format(Duration.ofMillis((long) ((all - done) * 1000 / jobsPerSecond)));
        return String.format("[%s%s] %d/%d %3d%%  %.1f jobs/s  %s left", "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, all, all == 0 ? 100 : 100 * done / all, jobsPerSecond, left);
    }
}
