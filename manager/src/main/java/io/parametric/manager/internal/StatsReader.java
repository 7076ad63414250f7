package io.parametric.manager.internal;

import io.parametric.manager.FleetStats;
import io.parametric.manager.WorkerStats;
import io.parametric.shared.protocol.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link FleetStats} snapshot with {@code stats.lua}: one script, one round trip, so
 * queues, workers and counters are of one instant.
 */
public final class StatsReader {

    /** Minutes of per-minute counters a snapshot carries (the current one included). */
    public static final int MINUTES = 15;

    private StatsReader() {}

    /**
     * @param fleet the fleet
     * @return its snapshot
     * @throws io.parametric.shared.ProcessError REDIS_UNAVAILABLE when Redis does not answer
     * @throws IllegalStateException when the script's reply is not what {@code stats.lua} returns
     */
    public static FleetStats read(Fleet fleet) {
        List<?> reply = fleet.statsSnapshot(MINUTES);
        try {
            return parse(fleet.keys().fleet(), reply);
        } catch (RuntimeException e) {
            throw new IllegalStateException("unexpected reply of stats.lua for fleet '" + fleet.keys().fleet()
                    + "' (" + e + "); the script and this client disagree: use one version of the library", e);
        }
    }

    private static FleetStats parse(String fleetName, List<?> reply) {
        long now = num(reply.get(0));
        List<FleetStats.Minute> minutes = new ArrayList<>();
        for (Object m : (List<?>) reply.get(4)) {
            List<?> row = (List<?>) m;
            minutes.add(new FleetStats.Minute(Instant.ofEpochMilli(num(row.get(0)) * 60_000), num(row.get(1)), num(row.get(2))));
        }
        List<WorkerStats> workers = new ArrayList<>();
        for (Object w : (List<?>) reply.get(5)) {
            List<?> row = (List<?>) w;
            String job = str(row.get(8));
            String started = str(row.get(11));
            String missingClass = str(row.get(12));
            workers.add(new WorkerStats(num(row.get(0)), str(row.get(4)), str(row.get(5)), str(row.get(6)),
                    str(row.get(7)), num(row.get(2)), job.isEmpty() ? null : job,
                    started.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(started)),
                    num(row.get(9)), num(row.get(10)),
                    Duration.ofMillis(Math.max(0, now - num(row.get(1)))),
                    missingClass.isEmpty() ? null : missingClass));
        }
        return new FleetStats(fleetName, Instant.ofEpochMilli(now), num(reply.get(1)), num(reply.get(2)),
                num(reply.get(3)), workers, lastMinute(minutes, now, true), lastMinute(minutes, now, false), minutes);
    }

    /**
     * The sliding last minute from two per-minute counters: all of the current minute and the
     * part of the previous one that is less than a minute ago, assuming its jobs ended evenly.
     */
    private static long lastMinute(List<FleetStats.Minute> minutes, long now, boolean done) {
        long current = minutes.isEmpty() ? 0 : (done ? minutes.get(0).done() : minutes.get(0).failed());
        long previous = minutes.size() < 2 ? 0 : (done ? minutes.get(1).done() : minutes.get(1).failed());
        double previousShare = 1 - (now % 60_000) / 60_000.0;
        return current + Math.round(previous * previousShare);
    }

    private static long num(Object o) {
        return o instanceof Long l ? l : Long.parseLong(String.valueOf(o));
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
