package io.parametric.shared.protocol;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.redis.LuaScript;
import io.parametric.shared.redis.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The protocol operations of one fleet, written once so the manager and the worker cannot
 * disagree: register, heartbeat, place, fetch, start, finish, re-home, shared values. See
 * {@code docs/protocol.md}.
 */
public final class Fleet {

    /** How long a finished job's hash is kept by default. */
    public static final Duration DEFAULT_JOB_TTL = Duration.ofHours(24);

    /** Placements per script call; larger calls are split into chunks sent in one pipeline. */
    static final int CHUNK = 500;

    private static final LuaScript REGISTER = LuaScript.load("register-5.lua");
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat-1.lua");
    private static final LuaScript PLACE = LuaScript.load("place-0.lua");
    private static final LuaScript START = LuaScript.load("start-4.lua");
    private static final LuaScript FINISH = LuaScript.load("finish-8.lua");
    private static final LuaScript REHOME = LuaScript.load("rehome-7.lua");

    private final Redis redis;
    private final FleetKeys keys;
    private final Duration jobTtl;

    /**
     * @param redis the connection
     * @param keys the fleet's keys
     * @param jobTtl how long a finished job's hash is kept
     */
    public Fleet(Redis redis, FleetKeys keys, Duration jobTtl) {
        this.redis = redis;
        this.keys = keys;
        this.jobTtl = jobTtl;
    }

    /** @return the fleet's keys */
    public FleetKeys keys() {
        return keys;
    }

    /** @return the connection */
    public Redis redis() {
        return redis;
    }

    /** @return a new pid, never used before in this fleet */
    public long newPid() {
        return redis.incrBy(keys.pidCounter(), 1);
    }

    /**
     * Registers a worker slot and gives it its first job from the backlog, if any.
     *
     * @param pid the slot's pid (from {@link #newPid()})
     * @param fields the worker hash: name, kind, host, ospid, types (",a,b,") ...
     * @return a payload moved from the backlog into its in-flight list, or null (it is open)
     */
    public String register(long pid, Map<String, String> fields) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(pid));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        List<?> reply = (List<?>) redis.eval(REGISTER,
                List.of(keys.worker(pid), keys.workers(), keys.openWorkers(), keys.backlog(), keys.inFlight(pid)),
                args);
        return reply.size() > 1 ? (String) reply.get(1) : null;
    }

    /**
     * Refreshes heartbeats.
     *
     * @param pids the slots of this process
     * @return the pids that are no longer live (reaped or closed)
     */
    public List<Long> heartbeat(Collection<Long> pids) {
        List<?> gone = (List<?>) redis.eval(HEARTBEAT, List.of(keys.workers()),
                pids.stream().map(String::valueOf).toList());
        return gone.stream().map(p -> Long.parseLong((String) p)).toList();
    }

    /** @return the pids of the live workers, ascending */
    public List<Long> livePids() {
        return redis.zrange(keys.workers()).stream().map(Long::parseLong).sorted().toList();
    }

    /**
     * @param pid a worker
     * @return its hash, empty when unknown
     */
    public Map<String, String> workerInfo(long pid) {
        return redis.hgetAll(keys.worker(pid));
    }

    /**
     * Places jobs, all or nothing per chunk of {@value #CHUNK}; every chunk goes in one pipeline.
     *
     * @param placements the jobs
     * @param candidates pids an open placement may choose from, or null for any live worker
     * @return the pid each job went to, 0 for the fleet backlog
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE, naming the pid and type
     */
    public List<Long> place(List<Placement> placements, Collection<Long> candidates) {
        String allowed = candidates == null ? "*"
                : candidates.stream().map(String::valueOf).collect(Collectors.joining(",", ",", ","));
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < placements.size(); from += CHUNK) {
            List<String> args = new ArrayList<>();
            args.add(keys.prefix());
            args.add(allowed);
            for (Placement p : placements.subList(from, Math.min(placements.size(), from + CHUNK))) {
                args.addAll(List.of(p.jobId(), p.payload(), p.jobType(), p.managerId(), p.target(), p.fallback()));
            }
            chunks.add(args);
        }
        List<Object> replies = redis.batch(b -> chunks.forEach(args -> b.eval(PLACE, List.of(), args)));
        List<Long> pids = new ArrayList<>(placements.size());
        for (Object r : replies) {
            List<?> reply = (List<?>) r;
            long code = (Long) reply.get(0);
            if (code == -2) {
                throw new ProcessError(Reason.NO_SUCH_WORKER,
                        "worker " + reply.get(1) + " is not a live worker of fleet '" + keys.fleet()
                                + "' (closed, dead or never registered); nothing was placed — pick a pid from workerPids()",
                        Long.parseLong((String) reply.get(1)), null, null, null, null);
            }
            if (code == -3) {
                throw new ProcessError(Reason.UNKNOWN_JOB_TYPE,
                        "worker " + reply.get(1) + " does not list job type '" + reply.get(2)
                                + "'; nothing was placed — register the type on that worker or place the job elsewhere",
                        Long.parseLong((String) reply.get(1)), null, null, null, null);
            }
            for (Object pid : reply.subList(1, reply.size())) {
                pids.add((Long) pid);
            }
        }
        return pids;
    }

    /**
     * Blocks for the next job of a worker, moving it from pending to in-flight.
     *
     * @param pid the worker
     * @param timeout how long to block (short, so shutdown is noticed)
     * @return the payload, or null on timeout
     */
    public String fetch(long pid, Duration timeout) {
        return redis.blockingMove(keys.pending(pid), keys.inFlight(pid), timeout);
    }

    /**
     * Marks a fetched job running.
     *
     * @param pid the worker
     * @param payload the in-flight entry
     * @param jobId the job
     * @param deadEntryIfMissing the dead-letter entry to write when the job hash is missing
     * @return the delivery count (≥ 1), -2 when the job hash was missing, -3 when cancelled or already finished
     */
    public long start(long pid, String payload, String jobId, String deadEntryIfMissing) {
        List<?> reply = (List<?>) redis.eval(START,
                List.of(keys.job(jobId), keys.worker(pid), keys.inFlight(pid), keys.deadLetter()),
                List.of(Long.toString(pid), payload, jobId, deadEntryIfMissing));
        long code = (Long) reply.get(0);
        return code == 1 ? (Long) reply.get(1) : code;
    }

    /**
     * Finishes an in-flight entry and takes the worker's next job from the backlog when its own
     * list is empty.
     *
     * @param pid the worker
     * @param payload the exact in-flight entry
     * @param outcome the job's outcome, or null when the entry is dropped without one
     * @param managerId the manager to notify, or null
     * @param deadEntry a dead-letter entry to write, or null
     * @return the result
     */
    public Finish finish(long pid, String payload, Outcome outcome, String managerId, String deadEntry) {
        String jobId = outcome == null ? "-" : outcome.jobId();
        List<?> reply = (List<?>) redis.eval(FINISH,
                List.of(keys.inFlight(pid), keys.pending(pid), keys.worker(pid), keys.openWorkers(),
                        keys.backlog(), keys.deadLetter(), keys.job(jobId),
                        keys.completions(managerId == null ? "-" : managerId)),
                List.of(payload, Long.toString(pid),
                        outcome == null ? "" : Json.write(outcome),
                        outcome == null ? "" : (outcome.ok() ? "done" : "failed"),
                        deadEntry == null ? "" : deadEntry,
                        Long.toString(jobTtl.toSeconds()),
                        managerId == null || managerId.isEmpty() ? "" : "1"));
        long code = (Long) reply.get(0);
        return new Finish(code != -1, reply.size() > 1 ? (String) reply.get(1) : null);
    }

    /**
     * What {@link #finish} did.
     *
     * @param accepted false when the entry was no longer in-flight on this worker (re-homed): nothing written
     * @param next a payload moved from the backlog into the worker's in-flight list, or null
     */
    public record Finish(boolean accepted, String next) {}

    /**
     * Takes a worker out of the fleet and hands its jobs on (to open workers or the backlog);
     * pinned jobs fail with WORKER_LOST.
     *
     * @param pid the worker
     * @param includeInFlight true to hand on its in-flight job too (the worker is dead)
     * @param newState "closing" (still finishing its running job), "closed" or "dead"
     * @param why for messages, e.g. "closed by its manager"
     * @return how many jobs moved, failed (pinned) and went to the dead-letter list
     */
    public Rehomed rehome(long pid, boolean includeInFlight, String newState, String why) {
        List<?> reply = (List<?>) redis.eval(REHOME,
                List.of(keys.pending(pid), keys.inFlight(pid), keys.worker(pid), keys.workers(),
                        keys.openWorkers(), keys.backlog(), keys.deadLetter()),
                List.of(keys.prefix(), Long.toString(pid), includeInFlight ? "1" : "0", newState,
                        Long.toString(jobTtl.toSeconds()), why));
        return new Rehomed((Long) reply.get(0), (Long) reply.get(1), (Long) reply.get(2));
    }

    /**
     * What {@link #rehome} did.
     *
     * @param moved jobs handed to another worker or the backlog
     * @param failed pinned jobs failed with WORKER_LOST
     * @param deadLettered entries that were not jobs
     */
    public record Rehomed(long moved, long failed, long deadLettered) {}

    /**
     * @param reason why the entry cannot be run
     * @param entry the raw entry
     * @return a dead-letter list entry (JSON with reason and entry)
     */
    public static String deadLetterEntry(String reason, String entry) {
        return Json.write(Map.of("reason", reason, "entry", entry == null ? "" : entry));
    }

    /**
     * Sets a fleet-wide shared value.
     *
     * @param name the name
     * @param value any JSON-serializable value
     */
    public void putValue(String name, Object value) {
        redis.set(keys.value(name), Json.write(value));
    }

    /**
     * Sets a shared value seen only by one worker.
     *
     * @param pid the worker
     * @param name the name
     * @param value any JSON-serializable value
     */
    public void putWorkerValue(long pid, String name, Object value) {
        redis.set(keys.workerValue(pid, name), Json.write(value));
    }

    /**
     * @param name the name
     * @return the fleet-wide value as JSON text, or null
     */
    public String fetchValue(String name) {
        return redis.get(keys.value(name));
    }

    /**
     * @param pid the worker asking
     * @param name the name
     * @return that worker's own value as JSON text, else the fleet-wide one, else null
     */
    public String fetchValue(long pid, String name) {
        List<Object> both = redis.batch(b -> {
            b.get(keys.workerValue(pid, name));
            b.get(keys.value(name));
        });
        return (String) (both.get(0) != null ? both.get(0) : both.get(1));
    }

    /**
     * Atomically adds to a fleet-wide numeric value.
     *
     * @param name the name
     * @param delta what to add
     * @return the new value
     * @throws ProcessError BAD_PAYLOAD when the value is not an integer
     */
    public long increment(String name, long delta) {
        try {
            return redis.incrBy(keys.value(name), delta);
        } catch (RuntimeException e) {
            if (e instanceof ProcessError) {
                throw e;
            }
            throw new ProcessError(Reason.BAD_PAYLOAD,
                    "shared value '" + name + "' is not an integer, so it cannot be incremented; put a number first", e);
        }
    }
}
