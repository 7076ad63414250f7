package io.parametric.manager;

import java.time.Instant;
import java.util.List;

/**
 * One consistent snapshot of a fleet, read in one round trip (one script) by
 * {@link ProcessManager#stats()}: its queues, its live workers and the jobs that ended lately.
 *
 * <pre>{@code
 * FleetStats s = procs.stats();
 * System.out.println(s.backlog() + " waiting, " + s.workers().size() + " workers, "
 *         + s.doneLastMinute() + " done in the last minute");
 * }</pre>
 *
 * @param fleet the fleet name
 * @param at when it was read (Redis time)
 * @param backlog jobs on the fleet backlog, waiting for whichever worker frees up first
 * @param delayed jobs waiting to be due (delayed placements and retries)
 * @param dead entries of the dead-letter list
 * @param workers the live workers, ascending pid
 * @param doneLastMinute jobs that returned in the sliding last minute (estimated from two per-minute counters)
 * @param failedLastMinute jobs that failed in the sliding last minute (same estimate)
 * @param minutes per-minute counts, newest (the current, partial minute) first
 */
public record FleetStats(String fleet, Instant at, long backlog, long delayed, long dead, List<WorkerStats> workers,
                         long doneLastMinute, long failedLastMinute, List<Minute> minutes) {

    /** Copies the lists, so a snapshot never changes. */
    public FleetStats {
        workers = List.copyOf(workers);
        minutes = List.copyOf(minutes);
    }

    /** @return jobs queued on workers, not counting running ones */
    public long queued() {
        return workers.stream().mapToLong(WorkerStats::queued).sum();
    }

    /** @return jobs running now */
    public long running() {
        return workers.stream().filter(w -> w.runningJobId() != null).count();
    }

    /**
     * The jobs that ended in one minute of Redis time.
     *
     * @param start the minute's first instant
     * @param done jobs that returned in it
     * @param failed jobs that failed in it
     */
    public record Minute(Instant start, long done, long failed) {}
}
