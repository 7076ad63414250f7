package io.parametric.shared.protocol;

/**
 * Builds every Redis key of one fleet, or of one shard of a sharded fleet. All keys of a shard
 * share one prefix, one hash tag, so every script runs on one Redis Cluster slot: shard 0 is the
 * fleet's own {@code pp:{<fleet>}:}, shard k ≥ 1 is {@code pp:{<fleet>/<k>}:} ('/' is never in
 * a fleet name, so no fleet's keys are another's shard). No other class builds a key.
 */
public final class FleetKeys {

    /** Between a fleet's name and a shard number in a shard's hash tag; never in a fleet name. */
    public static final char SHARD_SEPARATOR = '/';

    private final String fleet;
    private final int shard;
    private final String prefix;

    /**
     * @param fleet the fleet name; letters, digits, '-', '_' and '.'
     * @throws IllegalArgumentException for an empty name or one with other characters
     */
    public FleetKeys(String fleet) {
        this(fleet, 0);
    }

    private FleetKeys(String fleet, int shard) {
        if (fleet == null || !fleet.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "fleet name '" + fleet + "' must be non-empty letters, digits, '.', '_' or '-'");
        }
        if (shard < 0) {
            throw new IllegalArgumentException("shard " + shard + " of fleet '" + fleet + "' must be 0 or more");
        }
        this.fleet = fleet;
        this.shard = shard;
        this.prefix = shard == 0 ? "pp:{" + fleet + "}:" : "pp:{" + fleet + SHARD_SEPARATOR + shard + "}:";
    }

    /**
     * @param fleet the fleet name; letters, digits, '-', '_' and '.'
     * @param shard 0 for the fleet's own keys, k ≥ 1 for its shard k
     * @return the keys of that shard
     * @throws IllegalArgumentException for a bad name or a negative shard
     */
    public static FleetKeys shard(String fleet, int shard) {
        return new FleetKeys(fleet, shard);
    }

    /** @return the fleet name (the same for every shard) */
    public String fleet() {
        return fleet;
    }

    /** @return which shard of the fleet these keys are: 0 for the fleet's own */
    public int shard() {
        return shard;
    }

    /** @return the prefix every key of the fleet starts with; scripts that find workers build their keys from it */
    public String prefix() {
        return prefix;
    }

    /** @return string: the pid counter ({@code INCR}; pids are never reused) */
    public String pidCounter() {
        return prefix + "pids";
    }

    /** @return sorted set: live worker pids scored by their last heartbeat (Redis time, ms) */
    public String workers() {
        return prefix + "workers";
    }

    /** @return list: pids of idle workers with nothing queued */
    public String openWorkers() {
        return prefix + "open";
    }

    /** @return list: ids of jobs for whichever worker is free first */
    public String backlog() {
        return prefix + "backlog";
    }

    /** @return sorted set: ids of jobs scored by the Redis time (ms) they become due */
    public String delayed() {
        return prefix + "delayed";
    }

    /** @return list: entries that could not be run, each with its reason */
    public String deadLetter() {
        return prefix + "dead";
    }

    /** @return string: set while one reaper runs */
    public String reaperLock() {
        return prefix + "reaper";
    }

    /** @return string: Redis's run id when the fleet last saw it, to detect a Redis restart */
    public String redisRunId() {
        return prefix + "runid";
    }

    /** @return set: pids of workers out of the fleet whose queued jobs are still being handed on, a chunk per call */
    public String orphans() {
        return prefix + "orphans";
    }

    /** @return string: how many late completions were refused because the job had been re-homed (fencing) */
    public String staleFinishes() {
        return prefix + "stale";
    }

    /**
     * @param pid the worker
     * @return hash: the worker's name, kind, host, OS pid, state, job types, latest return, counters
     */
    public String worker(long pid) {
        return prefix + "w:" + pid;
    }

    /**
     * @param pid the worker
     * @return list: the ids of the jobs queued on the worker
     */
    public String pending(long pid) {
        return prefix + "w:" + pid + ":pending";
    }

    /**
     * @param pid the worker
     * @return list: the ids of the jobs the worker took and has not finished
     */
    public String inFlight(long pid) {
        return prefix + "w:" + pid + ":inflight";
    }

    /**
     * @return pub/sub channel: membership changes for managers' caches ({@code +<pid>} a worker
     *     registered, {@code -<pid>} it left the live workers: closed, reaped or dead)
     */
    public String members() {
        return prefix + "members";
    }

    /**
     * @param pid the worker
     * @return pub/sub channel: signals to that worker ({@code j} a job waits, {@code c <id>} cancel, {@code x} closed)
     */
    public String signals(long pid) {
        return prefix + "w:" + pid + ":signals";
    }

    /**
     * @param name the value's name
     * @return string: a fleet-wide shared value (JSON)
     */
    public String value(String name) {
        return prefix + "v:" + name;
    }

    /**
     * @param pid the worker
     * @param name the value's name
     * @return string: a shared value seen by that worker only (JSON)
     */
    public String workerValue(long pid, String name) {
        return prefix + "w:" + pid + ":v:" + name;
    }

    /** @return string: the protocol version of the fleet, set by the first worker that registers */
    public String protocolVersion() {
        return prefix + "proto";
    }

    /** @return hash: fleet settings read by every manager and script ({@code backlogLimit}) */
    public String settings() {
        return prefix + "settings";
    }

    /** @return hash: job id to the job's signed entry, the only copy of a job's bytes; removed at its outcome */
    public String jobs() {
        return prefix + "jobs";
    }

    /** @return hash: lambda records by the hash of their content ({@link LambdaRecord}) */
    public String lambdas() {
        return prefix + "fn";
    }

    /** @return hash: job id to its record ({@code state|pid|deliveries|attempts|ms|progress|outcome}) */
    public String records() {
        return prefix + "rec";
    }

    /** @return list: ids of finished jobs, oldest first: the order retention trims their records in */
    public String finished() {
        return prefix + "fin";
    }

    /** @return hash: a keyed job's key to its id while it is queued or running */
    public String jobKeys() {
        return prefix + "keys";
    }

    /** @return hash: job id to the managers re-attached to it ({@code ,m1,m2,}) */
    public String watchers() {
        return prefix + "watch";
    }


    /**
     * @param managerId the manager
     * @return list: outcomes of the jobs that manager placed, for it to block-pop
     */
    public String completions(String managerId) {
        return prefix + "done:" + managerId;
    }

    /**
     * @param epochMinute minutes since the epoch (Redis time)
     * @return hash: jobs that ended {@code done} and {@code failed} in that minute; kept one hour
     */
    public String minute(long epochMinute) {
        return prefix + "minute:" + epochMinute;
    }

    /** @return stream: the fleet's job events, capped; written only while {@link #listening()} exists */
    public String events() {
        return prefix + "events";
    }

    /** @return string: set (with a short expiry, refreshed) while some event listener of the fleet runs */
    public String listening() {
        return prefix + "listening";
    }
}
