package io.parametric.cli;

import io.parametric.manager.FleetStats;
import io.parametric.manager.WorkerStats;
import io.parametric.shared.protocol.Durations;
import io.parametric.shared.protocol.LogText;
import java.time.Duration;

/**
 * Renders a {@link FleetStats} snapshot as the text table of {@code status} and {@code top}, then
 * one line per worker that could not load a job's class.
 */
final class StatsTable {

    private StatsTable() {}

    /**
     * @param s the snapshot
     * @param jobsPerSecond the rate to show, or a negative number to leave it out
     * @return the table, lines ending in newlines
     */
    static String render(FleetStats s, double jobsPerSecond) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("fleet %s: %d workers, backlog %d, delayed %d, dead %d; last minute %d done, %d failed",
                s.fleet(), s.workers().size(), s.backlog(), s.delayed(), s.dead(), s.doneLastMinute(), s.failedLastMinute()));
        if (jobsPerSecond >= 0) {
            b.append(String.format("; %.1f jobs/s", jobsPerSecond));
        }
        b.append('\n');
        int nameWidth = Math.max(4, s.workers().stream().mapToInt(w -> w.name().length()).max().orElse(4));
        String row = "%6s  %-" + nameWidth + "s  %-8s %-7s %6s  %-36s %8s %8s %7s %6s%n";
        b.append(String.format(row, "PID", "NAME", "KIND", "STATE", "QUEUED", "RUNNING JOB", "AGE", "DONE", "FAILED", "BEAT"));
        for (WorkerStats w : s.workers()) {
            Duration age = w.runningSince() == null ? null : Duration.between(w.runningSince(), s.at());
            b.append(String.format(row, w.pid(), w.name(), w.kind(), w.state(), w.queued(),
                    w.runningJobId() == null ? "-" : w.runningJobId(), Durations.format(age), w.done(), w.failed(),
                    Durations.format(w.heartbeatAge())));
        }
        if (s.workers().isEmpty()) {
            b.append("  (no live worker)\n");
        }
        for (WorkerStats w : s.workers()) {
            if (w.missingClass() != null) {
                b.append(String.format("worker %d (%s) lacks %s: add the jar or folder holding it to that worker's PP_JOBS%n",
                        w.pid(), w.name(), LogText.safe(w.missingClass())));
            }
        }
        return b.toString();
    }
}
