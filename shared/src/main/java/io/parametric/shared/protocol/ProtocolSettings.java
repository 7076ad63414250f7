package io.parametric.shared.protocol;

import java.time.Duration;

/**
 * Every TTL, interval and limit the protocol's scripts use, in one place: {@link #argv()} is the
 * first ARGV of every script ({@code lib.lua} reads it into {@code S}), so no script has a
 * constant of its own.
 *
 * @param prefix the fleet's key prefix ({@link FleetKeys#prefix()})
 * @param jobTtl how long a finished job's record is kept at most, and an ended worker's record
 * @param keepFinished how many finished records are kept at most (the newest)
 * @param maxEntryBytes the largest entry a take hands to a worker (larger ones are dead-lettered unread)
 */
public record ProtocolSettings(String prefix, Duration jobTtl, long keepFinished, long maxEntryBytes) {

    /** How many finished job records a fleet keeps by default (besides the age limit). */
    public static final long DEFAULT_KEEP_FINISHED = 100_000;

    /** How many dead-letter records a fleet keeps (the newest). */
    public static final int DEAD_LETTER_CAP = 10_000;

    /** The most of an entry a dead-letter record copies; past it the record keeps its size and SHA-1. */
    public static final int DEAD_LETTER_COPY_BYTES = 64 * 1024;

    /** The shortest lease a reaper looks for: workers with a fresher heartbeat are not even read. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(1);

    /** How long a manager's completion list outlives its last refresh (a live manager refreshes it). */
    public static final Duration COMPLETION_TTL = Duration.ofMinutes(10);

    /** How long a per-minute outcome counter is kept: one hour and a minute, so at most 61 exist. */
    public static final Duration MINUTE_COUNTER_TTL = Duration.ofMinutes(61);

    /** About how many job events the fleet's stream keeps ({@code XADD MAXLEN ~}). */
    public static final int EVENTS_CAP = 10_000;

    /** Delayed jobs promoted per reaper tick. */
    public static final int PROMOTE_PER_TICK = 1000;

    /**
     * Queued jobs one re-homing call hands on (a worker with more is handed on in further calls),
     * and ids a take moves per round.
     * At about 60 µs per job on a busy 2-core machine, 100 keeps a call near 6 ms (500 took 29–34 ms).
     */
    public static final int REHOME_CHUNK = 100;

    /** Orphans (workers out of the fleet with queued jobs left) a reaper tick reports for finishing. */
    public static final int ORPHANS_PER_TICK = 16;

    /** Ids a take may drop (tombstones, bad or poison entries) before it returns and is called again. */
    public static final int SKIP_PER_FINISH = 16;

    /** The first retry's delay; each further retry waits twice as long. */
    public static final Duration RETRY_BASE = Duration.ofSeconds(1);

    /** The longest delay before a retry: the doubling stops here. */
    public static final Duration RETRY_MAX = Duration.ofHours(1);

    /** @return the settings line scripts take as ARGV[1] */
    public String argv() {
        return "prefix=" + prefix
                + ";version=" + JobPayload.VERSION
                + ";keepCount=" + Math.max(0, keepFinished)
                + ";maxEntry=" + maxEntryBytes
                + ";deadCap=" + DEAD_LETTER_CAP
                + ";deadCopy=" + DEAD_LETTER_COPY_BYTES
                + ";minLeaseMs=" + MIN_LEASE.toMillis()
                + ";jobTtl=" + Math.max(1, jobTtl.toSeconds())
                + ";doneTtl=" + COMPLETION_TTL.toSeconds()
                + ";maxDeliveries=" + JobPayload.DEFAULT_MAX_DELIVERIES
                + ";promoteMax=" + PROMOTE_PER_TICK
                + ";retryBaseMs=" + RETRY_BASE.toMillis()
                + ";retryMaxMs=" + RETRY_MAX.toMillis()
                + ";minuteTtl=" + MINUTE_COUNTER_TTL.toSeconds()
                + ";eventsCap=" + EVENTS_CAP
                + ";skipMax=" + SKIP_PER_FINISH
                + ";chunk=" + REHOME_CHUNK
                + ";orphansPerTick=" + ORPHANS_PER_TICK
                + ";maxId=" + JobPayload.MAX_ID_LENGTH;
    }
}
