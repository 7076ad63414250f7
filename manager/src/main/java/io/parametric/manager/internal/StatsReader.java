package io.parametric.manager.internal;

import io.parametric.manager.FleetStats;
import io.parametric.manager.WorkerStats;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Reads a {@link FleetStats} snapshot with {@code stats.lua}: one script, one round trip, so
 * queues, workers and counters are of one instant (of one shard: a sharded fleet's snapshot adds
 * up one per shard).
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

    /**
     * Reads every shard of a fleet (one round trip each) and adds them up: queue lengths and
     * per-minute counts summed, the workers of all shards by pid, the newest Redis time.
     *
     * @param shards the fleet's shards
     * @return the whole fleet's snapshot
     * @throws io.parametric.shared.ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public static FleetStats read(FleetShards shards) {
        List<FleetStats> each = shards.all().stream().map(StatsReader::read).toList();
        if (each.size() == 1) {
            return each.get(0);
        }
        Instant at = each.stream().map(FleetStats::at).max(Instant::compareTo).orElseThrow();
        List<WorkerStats> workers = each.stream().flatMap(s -> s.workers().stream())
                .sorted(Comparator.comparingLong(WorkerStats::pid)).toList();
        Map<Instant, long[]> byMinute = new TreeMap<>(Comparator.reverseOrder());
        for (FleetStats s : each) {
            for (FleetStats.Minute m : s.minutes()) {
                long[] sum = byMinute.computeIfAbsent(m.start(), k -> new long[2]);
                sum[0] += m.done();
                sum[1] += m.failed();
            }
        }
        List<FleetStats.Minute> minutes = byMinute.entrySet().stream()
                .map(e -> new FleetStats.Minute(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
        return new FleetStats(shards.fleet(), at, sum(each, FleetStats::backlog), sum(each, FleetStats::delayed),
                sum(each, FleetStats::dead), workers, sum(each, FleetStats::doneLastMinute), sum(each, FleetStats::failedLastMinute),
                minutes);
    }

    private static long sum(List<FleetStats> each, ToLongFunction<FleetStats> of) {
        return each.stream().mapToLong(of).sum();
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
