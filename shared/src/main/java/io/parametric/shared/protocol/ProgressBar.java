package io.parametric.shared.protocol;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress line, {@code [#########...........]  45/100  45%  12.5 jobs/s  4.4s left}, for a
 * person watching jobs end (the CLI's {@code wait}, the demo). In a terminal it redraws one line
 * in place; elsewhere (a file, a pipe) it prints a new line only when the bar grows, so a log
 * stays short. Once the line reaches its total it ends it and shows nothing more.
 *
 * <pre>{@code
 * ProgressBar bar = new ProgressBar(out, System.console() != null);
 * bar.show(done, total, jobsPerSecond); // as often as you like
 * }</pre>
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private String printedBar = "";
    private boolean finished;

    /**
     * @param out where the line goes (flushed after each change)
     * @param terminal true when out is a terminal, so the line can be redrawn in place
     */
    public ProgressBar(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Shows where the work is; the call that reaches the total ends the line.
     *
     * @param done finished so far
     * @param total all of them
     * @param jobsPerSecond the rate so far (0 or less: unknown)
     * @return true when done has reached total (now or in an earlier call)
     */
    public synchronized boolean show(long done, long total, double jobsPerSecond) {
        if (finished) {
            return true;
        }
        String line = render(done, total, jobsPerSecond);
        String bar = line.substring(0, line.indexOf(']') + 1);
        finished = done >= total;
        if (terminal) {
            out.print("\r" + line + (finished ? "\n" : ""));
        } else if (!bar.equals(printedBar) || finished) {
            out.println(line);
            printedBar = bar;
        }
        out.flush();
        return finished;
    }

    /**
     * @param done finished so far
     * @param total all of them (at least done)
     * @param jobsPerSecond the rate so far
     * @return the line, without a newline
     */
    public static String render(long done, long total, double jobsPerSecond) {
        long all = Math.max(total, done);
        int filled = all == 0 ? WIDTH : (int) (WIDTH * done / all);
        String left = jobsPerSecond <= 0 ? "?" : Durations.format(Duration.ofMillis((long) ((all - done) * 1000 / jobsPerSecond)));
        return String.format(Locale.ROOT, "[%s%s] %d/%d %3d%%  %.1f jobs/s  %s left", "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, all, all == 0 ? 100 : 100 * done / all, jobsPerSecond, left);
    }
}
