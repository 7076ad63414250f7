package io.parametric.cli;

import io.parametric.manager.FleetStats;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Jobs ended between successive {@link FleetStats} snapshots, from the per-minute counters: the
 * jobs that ended in between are the growth of each minute's count, so workers that come and go
 * and minutes that leave the snapshot's window do not disturb it.
 */
final class JobRate {

    private Map<Instant, Long> lastCounts;
    private Instant lastAt;
    private double perSecond;

    /**
     * @param s the newest snapshot
     * @return jobs that ended since the previous snapshot; 0 for the first one
     */
    long next(FleetStats s) {
        Map<Instant, Long> counts = new HashMap<>();
        s.minutes().forEach(m -> counts.put(m.start(), m.done() + m.failed()));
        long ended = 0;
        if (lastCounts == null) {
            perSecond = (s.doneLastMinute() + s.failedLastMinute()) / 60.0;
        } else {
            ended = counts.entrySet().stream()
                    .mapToLong(e -> e.getValue() - lastCounts.getOrDefault(e.getKey(), 0L))
                    .filter(n -> n > 0)
                    .sum();
            long ms = Duration.between(lastAt, s.at()).toMillis();
            perSecond = ms <= 0 ? 0 : ended * 1000.0 / ms;
        }
        lastCounts = counts;
        lastAt = s.at();
        return ended;
    }

    /** @return jobs per second between the last two snapshots; after the first, the last minute's average */
    double perSecond() {
        return perSecond;
    }
}
