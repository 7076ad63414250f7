package io.parametric.shared.protocol;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.redis.LuaScript;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.redis.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol operations of one fleet, written once so the manager and the worker cannot
 * disagree: register, heartbeat, place, fetch, start, finish, re-home, shared values. See
 * {@code docs/protocol.md}.
 */
public final class Fleet {

    /** How long a finished job's hash is kept by default. */
    public static final Duration DEFAULT_JOB_TTL = Duration.ofHours(24);

    /** Placements per script call; larger calls are split into chunks sent in one pipeline. */
    public static final int CHUNK = 500;

    private static final LuaScript REGISTER = LuaScript.load("register-6.lua");
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat-1.lua");
    private static final LuaScript PLACE = LuaScript.load("place-0.lua");
    private static final LuaScript START = LuaScript.load("start-4.lua");
    private static final LuaScript FINISH = LuaScript.load("finish-8.lua");
    private static final LuaScript REHOME = LuaScript.load("rehome-7.lua");
    private static final LuaScript REAP = LuaScript.load("reap-3.lua");
    private static final LuaScript CANCEL = LuaScript.load("cancel-1.lua");
    private static final LuaScript SCHEDULE = LuaScript.load("schedule-1.lua");
    private static final LuaScript REQUEUE = LuaScript.load("requeue-2.lua");
    private static final LuaScript TAKE = LuaScript.load("take-6.lua");
    private static final LuaScript PROGRESS = LuaScript.load("progress-1.lua");
    private static final LuaScript WATCH = LuaScript.load("watch-1.lua");
    private static final LuaScript STATS = LuaScript.load("stats-1.lua");

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    private final Redis redis;
    private final FleetKeys keys;
    private final FleetSecret secret;
    private final Duration jobTtl;
    private final int maxPayloadBytes;
    /** ARGV[1] of every script: see {@link ProtocolSettings}. */
    private final String settings;

    /**
     * A fleet whose largest payload or return is {@link Limits#maxPayloadBytes()}.
     *
     * @param redis the connection
     * @param keys the fleet's keys
     * @param secret the fleet secret that signs and checks entries and outcomes
     * @param jobTtl how long a finished job's hash is kept (see {@link Limits#jobTtl()})
     */
    public Fleet(Redis redis, FleetKeys keys, FleetSecret secret, Duration jobTtl) {
        this(redis, keys, secret, jobTtl, Limits.maxPayloadBytes());
    }

    /**
     * @param redis the connection
     * @param keys the fleet's keys
     * @param secret the fleet secret that signs and checks entries and outcomes
     * @param jobTtl how long a finished job's hash is kept
     * @param maxPayloadBytes the largest payload or return, bytes of UTF-8 JSON
     */
    public Fleet(Redis redis, FleetKeys keys, FleetSecret secret, Duration jobTtl, int maxPayloadBytes) {
        this.redis = redis;
        this.keys = keys;
        this.secret = secret;
        this.jobTtl = jobTtl;
        this.maxPayloadBytes = maxPayloadBytes;
        this.settings = new ProtocolSettings(keys.prefix(), jobTtl).argv();
    }

    /** @return how long a finished job's hash is kept */
    public Duration jobTtl() {
        return jobTtl;
    }

    /** @return the largest payload or return, bytes of UTF-8 JSON */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** @return the fleet's keys */
    public FleetKeys keys() {
        return keys;
    }

    /** @return the fleet secret that signs and checks entries and outcomes */
    public FleetSecret secret() {
        return secret;
    }

    /** @return a new pid, never used before in this fleet */
    public long newPid() {
        return redis.incrBy(keys.pidCounter(), 1);
    }

    /**
     * Moves the pid counter up to at least {@code pid}, so pids given out later never collide
     * with a worker adopted from elsewhere. Concurrent callers may skip pids, never repeat one.
     *
     * @param pid the highest pid in use
     */
    public void reservePidsUpTo(long pid) {
        long current = redis.incrBy(keys.pidCounter(), 0);
        if (current < pid) {
            redis.incrBy(keys.pidCounter(), pid - current);
        }
    }

    /**
     * Registers a worker slot and gives it its first job from the backlog, if any. A slot whose
     * hash vanished (Redis restarted without persistence) registers again under the same pid; the
     * pid counter is then raised to at least that pid so it is never handed out again.
     *
     * @param pid the slot's pid (from {@link #newPid()})
     * @param fields the worker hash: name, kind, host, ospid, types (",a,b,") ...
     * @return a payload moved from the backlog into its in-flight list, or null (it is open)
     */
    public QueueEntry register(long pid, Map<String, String> fields) {
        List<String> args = new ArrayList<>();
        args.add(settings);
        args.add(Long.toString(pid));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        List<?> reply = (List<?>) redis.evalBytes(REGISTER,
                List.of(keys.worker(pid), keys.workers(), keys.openWorkers(), keys.backlog(), keys.inFlight(pid),
                        keys.pidCounter()),
                args);
        return reply.size() > 1 ? QueueEntry.of((byte[]) reply.get(1)) : null;
    }

    /**
     * Refreshes heartbeats.
     *
     * @param pids the slots of this process
     * @return the pids that are no longer live (reaped or closed)
     */
    public List<Long> heartbeat(Collection<Long> pids) {
        List<String> args = new ArrayList<>();
        args.add(settings);
        pids.forEach(p -> args.add(String.valueOf(p)));
        List<?> gone = (List<?>) redis.eval(HEARTBEAT, List.of(keys.workers()), args);
        return gone.stream().map(p -> Long.parseLong((String) p)).toList();
    }

    /** @return the pids of the live workers, ascending */
    public List<Long> livePids() {
        return redis.zrange(keys.workers()).stream().map(Long::parseLong).sorted().toList();
    }

    /**
     * @param pid a worker
     * @return its hash as stored, empty when unknown (for diagnostics; code reads {@link #worker})
     */
    public Map<String, String> workerInfo(long pid) {
        return redis.hgetAll(keys.worker(pid));
    }

    /**
     * Records in a worker's hash (field {@code missingClass}) the latest class a job needed that
     * the worker could not load, so the fleet's status shows what its {@code PP_JOBS} lacks.
     *
     * @param pid the worker
     * @param className the class
     */
    public void noteMissingClass(long pid, String className) {
        redis.hset(keys.worker(pid), Map.of("missingClass", className));
    }

    /**
     * @param pid a worker
     * @return its record, empty when the fleet does not know it
     */
    public Optional<WorkerRecord> worker(long pid) {
        return WorkerRecord.from(pid, redis.hgetAll(keys.worker(pid)));
    }

    /**
     * @param pid a worker
     * @return its latest outcome, or null
     */
    public Outcome latestOutcome(long pid) {
        String ret = redis.hget(keys.worker(pid), "ret");
        return ret == null ? null : Json.read(ret, Outcome.class);
    }

    /**
     * @param pid a worker
     * @return how many jobs are queued on it
     */
    public long queued(long pid) {
        return redis.llen(keys.pending(pid));
    }

    /**
     * Places jobs, all or nothing per chunk of {@value #CHUNK}; every chunk goes in one pipeline.
     *
     * @param placements the jobs
     * @param candidates pids an open placement may choose from, or null for any live worker
     * @return the pid each job went to, 0 for the fleet backlog
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE, naming the pid and type; BAD_PAYLOAD
     *     when a payload is larger than {@link #maxPayloadBytes()} (nothing placed)
     */
    public List<Long> place(List<Placement> placements, Collection<Long> candidates) {
        placements.forEach(p -> checkSize(p.jobId(), p.payload()));
        String allowed = candidates == null ? "*"
                : candidates.stream().map(String::valueOf).collect(Collectors.joining(",", ",", ","));
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < placements.size(); from += CHUNK) {
            List<String> args = new ArrayList<>();
            args.add(settings);
            args.add(allowed);
            for (Placement p : placements.subList(from, Math.min(placements.size(), from + CHUNK))) {
                args.addAll(List.of(p.jobId(), p.payload(), p.jobType(), p.managerId(), p.target(), p.fallback()));
            }
            chunks.add(args);
        }
        List<Object> replies = redis.batch(b -> chunks.forEach(args -> b.eval(PLACE, List.of(keys.openWorkers()), args)));
        List<Long> pids = new ArrayList<>(placements.size());
        for (Object r : replies) {
            List<?> reply = (List<?>) r;
            ScriptCode code = ScriptCode.of(reply);
            if (code == ScriptCode.NO_SUCH_WORKER) {
                throw new ProcessError(Reason.NO_SUCH_WORKER,
                        "worker " + reply.get(1) + " is not a live worker of fleet '" + keys.fleet()
                                + "' (closed, dead or never registered); nothing was placed — pick a pid from workerPids()",
                        Long.parseLong((String) reply.get(1)), null, null, null, null);
            }
            if (code == ScriptCode.UNKNOWN_TYPE) {
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
     * @param pid a worker
     * @return the entries in its in-flight list (normally at most one), exactly as Redis holds them
     */
    public List<QueueEntry> inFlight(long pid) {
        return redis.lrangeBytes(keys.inFlight(pid)).stream().map(QueueEntry::of).toList();
    }

    /**
     * Appends an entry to the dead-letter list, for a worker that could not finish an entry the
     * normal way (its job hash is unusable).
     *
     * @param deadEntry an entry made with {@link #deadLetterEntry}
     */
    public void deadLetter(String deadEntry) {
        redis.rpush(keys.deadLetter(), deadEntry);
    }

    /**
     * @param pid a worker
     * @return its state; empty when it has no hash (or a state no protocol version writes)
     */
    public Optional<WorkerState> workerState(long pid) {
        return WorkerState.parse(redis.hget(keys.worker(pid), "state"));
    }

    /**
     * Records a running job's progress in its job hash (field {@code progress}); nothing when the
     * job hash is gone.
     *
     * @param jobId the job
     * @param fraction between 0 and 1
     */
    public void progress(String jobId, double fraction) {
        redis.eval(PROGRESS, List.of(keys.job(jobId)), List.of(settings, Double.toString(fraction)));
    }

    /**
     * Blocks for the next job queued on a worker, moving it from pending to in-flight (not started:
     * see {@link #start}). A blocking move is served the moment a placement pushes, before any
     * later command of the placing manager runs.
     *
     * @param pid the worker
     * @param timeout how long to block
     * @return the entry, exactly as Redis holds it, or null on timeout
     */
    public QueueEntry fetch(long pid, Duration timeout) {
        return QueueEntry.of(redis.blockingMoveBytes(keys.pending(pid), keys.inFlight(pid), timeout));
    }

    /**
     * Lets an idle worker take its next job and start it (see {@code take-6.lua}): its own list
     * first, else the fleet backlog. A worker calls it when woken and every few seconds while idle.
     *
     * @param pid the worker
     * @return the job now in its in-flight list, or null when nothing waits (the worker is open)
     */
    public Taken take(long pid) {
        List<?> reply = (List<?>) redis.evalBytes(TAKE,
                List.of(keys.inFlight(pid), keys.pending(pid), keys.worker(pid), keys.openWorkers(), keys.backlog(),
                        keys.workers()),
                List.of(settings, Long.toString(pid)));
        ScriptCode.of(reply);
        return taken(reply, 1);
    }

    /**
     * Listens to channels of this fleet (see {@link FleetKeys#signals}) until the subscription
     * is closed or the connection lost.
     *
     * @param subscription what to do with messages
     * @param channels the channels to start with
     * @throws ProcessError REDIS_UNAVAILABLE when the connection was lost: listen again
     */
    public void listen(Subscription subscription, List<String> channels) {
        redis.listen(subscription, channels);
    }

    /**
     * Marks a fetched job running.
     *
     * @param pid the worker
     * @param payload the in-flight entry
     * @param jobId the job
     * @param deadEntryIfMissing the dead-letter entry to write when the job hash is missing
     * @return whether to run it: {@link Start#runs()}, with the delivery count; otherwise the
     *     entry stays in-flight: drop it with {@link #finish} without an outcome
     */
    public Start start(long pid, QueueEntry payload, String jobId, String deadEntryIfMissing) {
        List<?> reply = (List<?>) redis.evalBytes(START,
                List.of(keys.job(jobId), keys.worker(pid), keys.inFlight(pid), keys.deadLetter()),
                List.of(settings, Long.toString(pid), payload.bytes(), jobId, deadEntryIfMissing));
        ScriptCode code = ScriptCode.of(reply);
        if (code == ScriptCode.POISON) {
            LOG.warn("job {} is poison: delivered {} times without an outcome; it is in the dead-letter list of fleet '{}'",
                    jobId, reply.get(1), keys.fleet());
        }
        return new Start(code, reply.size() > 1 ? (Long) reply.get(1) : 0);
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
     * @return the result; a late completion (the job was re-homed: this worker lost its lease) is
     *     refused, counted in {@link FleetKeys#staleFinishes()} and logged
     */
    public Finish finish(long pid, QueueEntry payload, Outcome outcome, String managerId, String deadEntry) {
        String jobId = outcome == null ? "-" : outcome.jobId();
        String outcomeJson = outcome == null ? "" : Json.write(outcome);
        if (outcomeJson.length() > maxPayloadBytes / 4 && utf8Length(outcomeJson) > maxPayloadBytes) {
            outcome = Outcome.failure(outcome.jobId(), pid, "BAD_PAYLOAD",
                    "the return of job " + outcome.jobId() + " is " + utf8Length(outcomeJson)
                            + " bytes of JSON, over the limit of " + maxPayloadBytes
                            + " (PP_MAX_PAYLOAD / pp.maxPayloadBytes); return less, or store big results elsewhere and return a reference",
                    outcome.attempt());
            outcomeJson = Json.write(outcome);
        }
        List<?> reply = (List<?>) redis.evalBytes(FINISH,
                List.of(keys.inFlight(pid), keys.pending(pid), keys.worker(pid), keys.openWorkers(),
                        keys.backlog(), keys.deadLetter(), keys.job(jobId),
                        keys.completions(managerId == null ? "-" : managerId)),
                List.of(settings, payload.bytes(), Long.toString(pid),
                        outcomeJson,
                        outcome == null ? "" : (outcome.ok() ? "done" : "failed"),
                        deadEntry == null ? "" : deadEntry,
                        managerId == null || managerId.isEmpty() ? "" : "1"));
        ScriptCode code = ScriptCode.of(reply);
        if (code == ScriptCode.REPEATED) {
            LOG.info("job {} on worker {}: its outcome was already stored (the call was repeated after Redis went away)", jobId, pid);
            return new Finish(true, taken(reply, 1));
        }
        if (code == ScriptCode.STALE) {
            long refused = redis.incrBy(keys.staleFinishes(), 1);
            LOG.warn("refused a late completion of job {} from worker {}: the job was re-homed after the worker"
                    + " missed its lease, so another delivery owns it ({} refused in fleet '{}' so far)",
                    jobId, pid, refused, keys.fleet());
        } else if (code == ScriptCode.RETRY) {
            LOG.info("job {} failed on worker {}; it will be retried (withRetries)", jobId, pid);
        }
        return new Finish(code != ScriptCode.STALE, taken(reply, 1));
    }

    /**
     * What {@link #start} found.
     *
     * @param code {@link ScriptCode#OK} to run it; {@link ScriptCode#NO_JOB} when the job hash was
     *     missing (dead-lettered), {@link ScriptCode#NOT_RUNNABLE} when cancelled or already finished,
     *     {@link ScriptCode#POISON} when over its delivery limit (dead-lettered, failed with POISON)
     * @param deliveries the delivery count, this one included (OK and POISON)
     */
    public record Start(ScriptCode code, long deliveries) {

        /** @return true when the worker runs the job */
        public boolean runs() {
            return code == ScriptCode.OK;
        }
    }

    /**
     * What {@link #finish} did.
     *
     * @param accepted false when the entry was no longer in-flight on this worker (re-homed): nothing written
     * @param next the worker's next job, already in its in-flight list, or null
     */
    public record Finish(boolean accepted, Taken next) {}

    /**
     * A job a script moved into a worker's in-flight list and started in the same call.
     *
     * @param entry the in-flight entry
     * @param start how {@link #start} went for it; null when the entry is not readable as a job
     *     (the worker dead-letters it)
     */
    public record Taken(QueueEntry entry, Start start) {}

    /** @return the job a take or finish reply carries from {@code at} (entry, start code, deliveries), or null */
    private static Taken taken(List<?> reply, int at) {
        if (reply.size() < at + 3) {
            return null;
        }
        long started = (Long) reply.get(at + 1);
        return new Taken(QueueEntry.of((byte[]) reply.get(at)), started == 0 ? null : new Start(ScriptCode.of(started), (Long) reply.get(at + 2)));
    }

    /**
     * Takes a worker out of the fleet and hands its jobs on (to open workers or the backlog);
     * pinned jobs fail with WORKER_LOST.
     *
     * @param pid the worker
     * @param includeInFlight true to hand on its in-flight job too (the worker is dead)
     * @param newState "closing" (still finishing its running job), "closed" or "dead"; null to
     *     leave it (an orphan: a worker already out of the fleet whose queue is still being handed on)
     * @param why for messages, e.g. "closed by its manager"
     * @return how many jobs moved, failed (pinned) and went to the dead-letter list
     */
    public Rehomed rehome(long pid, boolean includeInFlight, String newState, String why) {
        long moved = 0;
        long failed = 0;
        long deadLettered = 0;
        long remaining;
        do {
            // One bounded script call per chunk of queued jobs (ProtocolSettings.REHOME_CHUNK).
            List<?> reply = (List<?>) redis.eval(REHOME,
                    List.of(keys.pending(pid), keys.inFlight(pid), keys.worker(pid), keys.workers(),
                            keys.openWorkers(), keys.backlog(), keys.deadLetter(), keys.orphans()),
                    List.of(settings, Long.toString(pid), includeInFlight ? "1" : "0", newState == null ? "" : newState,
                            why));
            ScriptCode.of(reply);
            moved += (Long) reply.get(1);
            failed += (Long) reply.get(2);
            deadLettered += (Long) reply.get(3);
            remaining = (Long) reply.get(4);
        } while (remaining > 0);
        return new Rehomed(moved, failed, deadLettered);
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
     * One reaper tick, timed by Redis's clock (see {@code reap-3.lua}): promotes due delayed jobs;
     * then, unless another reaper of the fleet ran within {@code lockPeriod}, re-homes the jobs of
     * every worker whose heartbeat is older than {@code lease}. The first tick after Redis
     * restarted reaps nobody and gives every live worker one lease of grace instead.
     *
     * @param lease how long a worker may go without a heartbeat
     * @param lockPeriod the fleet reaps at most once per period (SET NX PX on {@link FleetKeys#reaperLock()})
     * @param owner who runs it, stored in the lock for diagnosis
     * @return what it did
     */
    public Reaped reap(Duration lease, Duration lockPeriod, String owner) {
        List<?> reply = (List<?>) redis.eval(REAP,
                List.of(keys.workers(), keys.reaperLock(), keys.redisRunId()),
                List.of(settings, Long.toString(lease.toMillis()), owner,
                        Long.toString(Math.max(1, lockPeriod.toMillis()))));
        ScriptCode code = ScriptCode.of(reply);
        long promoted = (Long) reply.get(1);
        if (code == ScriptCode.SKIPPED) {
            return new Reaped(Reaped.Kind.SKIPPED, promoted, 0, List.of(), List.of(), 0, 0, 0, 0);
        }
        if (code == ScriptCode.GRACE) {
            return new Reaped(Reaped.Kind.GRACE, promoted, (Long) reply.get(2), List.of(), List.of(), 0, 0, 0, 0);
        }
        int orphanCount = ((Long) reply.get(7)).intValue();
        List<Long> orphans = reply.subList(8, 8 + orphanCount).stream().map(p -> (Long) p).toList();
        List<Long> pids = reply.subList(8 + orphanCount, reply.size()).stream().map(p -> (Long) p).toList();
        return new Reaped(Reaped.Kind.REAPED, promoted, 0, pids, orphans,
                (Long) reply.get(3), (Long) reply.get(4), (Long) reply.get(5), (Long) reply.get(6));
    }

    /**
     * What one {@link #reap} tick did.
     *
     * @param kind whether it reaped, only promoted (another reaper holds the lock) or gave grace
     * @param promoted delayed jobs moved to workers or the backlog
     * @param graced live workers re-scored to now after a Redis restart (kind GRACE)
     * @param reaped the pids of the workers found dead (kind REAPED)
     * @param orphans workers out of the fleet with queued jobs still to hand on (kind REAPED): finish
     *     them with {@link #rehome} and a null state
     * @param moved jobs of those workers handed on
     * @param failed pinned (WORKER_LOST) or cancelled jobs failed
     * @param deadLettered entries that were not jobs
     * @param poisoned in-flight jobs over their delivery limit, failed with POISON
     */
    public record Reaped(Kind kind, long promoted, long graced, List<Long> reaped, List<Long> orphans,
                         long moved, long failed, long deadLettered, long poisoned) {

        /** What kind of tick it was. */
        public enum Kind {
            /** Another reaper ran within the lock period: only due delayed jobs were promoted. */
            SKIPPED,
            /** Redis restarted: nobody was reaped, every live worker got one lease of grace. */
            GRACE,
            /** Workers past their lease (possibly none) were reaped. */
            REAPED
        }
    }

    /**
     * Places jobs to run later, via the delayed-jobs set (promoted by {@link #reap}).
     *
     * @param jobs the jobs and their delays
     * @throws ProcessError BAD_PAYLOAD when a payload is larger than {@link #maxPayloadBytes()} (nothing placed)
     */
    public void schedule(List<Scheduled> jobs) {
        jobs.forEach(j -> checkSize(j.jobId(), j.payload()));
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < jobs.size(); from += CHUNK) {
            List<String> args = new ArrayList<>();
            args.add(settings);
            for (Scheduled j : jobs.subList(from, Math.min(jobs.size(), from + CHUNK))) {
                args.addAll(List.of(j.jobId(), j.payload(), j.managerId() == null ? "" : j.managerId(),
                        Long.toString(Math.max(0, j.delay().toMillis()))));
            }
            chunks.add(args);
        }
        redis.batch(b -> chunks.forEach(args -> b.eval(SCHEDULE, List.of(keys.delayed()), args)));
    }

    /**
     * One job for {@link #schedule}.
     *
     * @param jobId the job id
     * @param payload the job JSON
     * @param managerId the placing manager
     * @param delay how long from now (Redis time) until it may run
     */
    public record Scheduled(String jobId, String payload, String managerId, Duration delay) {}

    /**
     * Cancels a job (see {@code cancel-1.lua}): a waiting job is removed and fails with CANCELLED;
     * a running one is marked and its worker interrupts it. Acknowledged in the job hash.
     *
     * @param jobId the job
     * @param who who asks, for the job hash
     * @return what happened
     */
    public Cancel cancel(String jobId, String who) {
        List<?> reply = (List<?>) redis.eval(CANCEL, List.of(keys.job(jobId)),
                List.of(settings, jobId, who == null ? "" : who));
        return switch (ScriptCode.of(reply)) {
            case REMOVED -> Cancel.REMOVED;
            case INTERRUPTING -> Cancel.INTERRUPTING;
            case FINISHED -> Cancel.ALREADY_FINISHED;
            default -> Cancel.UNKNOWN;
        };
    }

    /** What {@link #cancel} did. */
    public enum Cancel {
        /** The job was waiting: removed, failed with CANCELLED, its manager notified. */
        REMOVED,
        /** The job runs: its worker will interrupt it; its outcome will be CANCELLED unless it returns first. */
        INTERRUPTING,
        /** The job already has an outcome. */
        ALREADY_FINISHED,
        /** No such job (never placed, or its hash expired). */
        UNKNOWN
    }

    /**
     * @param pid a worker
     * @return the id of a running job a manager asked that worker to interrupt, or null; see {@link #cancel}
     */
    public String cancelRequest(long pid) {
        return redis.hget(keys.worker(pid), "cancel");
    }

    /**
     * Clears a worker's cancel request once it acted on it.
     *
     * @param pid the worker
     */
    public void clearCancelRequest(long pid) {
        redis.hdel(keys.worker(pid), "cancel");
    }

    /**
     * Reads the stored outcomes of jobs in one round trip, for a manager catching up after an
     * outage (an outcome popped from its completion list just before Redis died is lost to the
     * list, never to the job hash).
     *
     * @param jobIds the jobs
     * @return the outcomes found, by job id (jobs without one, or unknown here, are left out)
     */
    public Map<String, Outcome> storedOutcomes(List<String> jobIds) {
        Map<String, Outcome> found = new java.util.LinkedHashMap<>();
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<String> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK));
            List<Object> replies = redis.batch(b -> chunk.forEach(id -> b.hget(keys.job(id), "outcome")));
            for (int i = 0; i < chunk.size(); i++) {
                if (replies.get(i) instanceof String json) {
                    try {
                        found.put(chunk.get(i), Json.read(json, Outcome.class));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("job {} has an unreadable outcome: {}", chunk.get(i), e.getMessage());
                    }
                }
            }
        }
        return found;
    }

    /**
     * @param jobIds jobs
     * @return those without a job hash in this fleet (never placed here, expired, or lost by a
     *     Redis that restarted without its data)
     */
    public List<String> missingJobs(List<String> jobIds) {
        List<String> missing = new ArrayList<>();
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<String> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK));
            List<Object> replies = redis.batch(b -> chunk.forEach(id -> b.exists(keys.job(id))));
            for (int i = 0; i < chunk.size(); i++) {
                if (Boolean.FALSE.equals(replies.get(i)) || Long.valueOf(0).equals(replies.get(i))) {
                    missing.add(chunk.get(i));
                }
            }
        }
        return missing;
    }

    /** @return the dead-letter list: JSON entries with {@code reason}, {@code entry} and, when known, {@code jobId} */
    public List<String> deadLetters() {
        return redis.lrange(keys.deadLetter());
    }

    /**
     * Gives every dead-lettered job a fresh start (deliveries 0) on an open worker or the backlog;
     * entries that are not jobs stay.
     *
     * @return how many jobs were requeued
     */
    public int requeueDeadLetters() {
        List<?> reply = (List<?>) redis.eval(REQUEUE, List.of(keys.deadLetter(), keys.backlog()), List.of(settings));
        ScriptCode.of(reply);
        return ((Long) reply.get(1)).intValue();
    }

    /** @return how many entries the dead-letter list held; it is now empty */
    public int purgeDeadLetters() {
        List<Object> reply = redis.batch(b -> {
            b.llen(keys.deadLetter());
            b.del(keys.deadLetter());
        });
        return ((Long) reply.get(0)).intValue();
    }

    /** @return how many late completions this fleet refused (fencing) */
    public long staleFinishes() {
        String n = redis.get(keys.staleFinishes());
        return n == null ? 0 : Long.parseLong(n);
    }

    /**
     * Checks the Redis settings a fleet relies on to lose nothing.
     *
     * @return one line per setting that is not as required (empty when all are), saying what to set
     */
    public List<String> durabilityWarnings() {
        List<String> warnings = new ArrayList<>();
        try {
            String aof = redis.configGet("appendonly");
            if (aof != null && !"yes".equalsIgnoreCase(aof)) {
                warnings.add("Redis at " + redis.url() + " has appendonly=" + aof
                        + ": a Redis restart loses every queued job; set appendonly yes (appendfsync everysec"
                        + " can lose the last second of placements, always loses nothing)");
            }
            String policy = redis.configGet("maxmemory-policy");
            if (policy != null && !"noeviction".equalsIgnoreCase(policy)) {
                warnings.add("Redis at " + redis.url() + " has maxmemory-policy=" + policy
                        + ": under memory pressure it may evict queued jobs; set maxmemory-policy noeviction");
            }
        } catch (RuntimeException e) {
            if (e instanceof ProcessError pe && pe.reason() == Reason.REDIS_UNAVAILABLE) {
                throw e;
            }
            // CONFIG may be disabled (managed Redis): nothing to check, not an error.
            LOG.debug("cannot read the Redis configuration to check durability: {}", e.getMessage());
        }
        return warnings;
    }

    private void checkSize(String jobId, String payload) {
        if (payload.length() > maxPayloadBytes / 4 && utf8Length(payload) > maxPayloadBytes) {
            throw new ProcessError(Reason.BAD_PAYLOAD,
                    "job " + jobId + " is " + utf8Length(payload) + " bytes of JSON, over the limit of " + maxPayloadBytes
                            + " (PP_MAX_PAYLOAD / pp.maxPayloadBytes); nothing was placed — pass a reference"
                            + " (a key, a path, a URL) instead of the data, or raise the limit",
                    null, jobId, null, null, null);
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The most of an entry a dead-letter record copies; past it the record keeps its size and hash. */
    public static final int DEAD_LETTER_COPY_BYTES = 64 * 1024;

    /**
     * A dead-letter record: the reason, a copy of at most {@value #DEAD_LETTER_COPY_BYTES} bytes
     * of the entry (as text; bytes that are not UTF-8 read as U+FFFD), its size in bytes and its
     * SHA-256, and {@code truncated: true} when the copy is not the whole entry. A huge entry never
     * makes a huge record.
     *
     * @param reason why the entry cannot be run
     * @param entry the raw entry, or null
     * @return the record, JSON
     */
    public static String deadLetterEntry(String reason, QueueEntry entry) {
        byte[] bytes = entry == null ? new byte[0] : entry.bytes();
        int copied = Math.min(bytes.length, DEAD_LETTER_COPY_BYTES);
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("reason", reason);
        record.put("entry", new String(bytes, 0, copied, java.nio.charset.StandardCharsets.UTF_8));
        record.put("size", bytes.length);
        record.put("sha256", sha256(bytes));
        if (copied < bytes.length) {
            record.put("truncated", true);
        }
        return Json.write(record);
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * Sets a fleet-wide shared value.
     *
     * @param name the name
     * @param value any JSON-serializable value
     */
    public void putValue(String name, Object value) {
        putValueJson(name, Json.write(value));
    }

    /**
     * Sets a fleet-wide shared value.
     *
     * @param name the name
     * @param json the value as JSON text
     */
    public void putValueJson(String name, String json) {
        redis.set(keys.value(name), json);
    }

    /**
     * Sets a shared value seen only by one worker.
     *
     * @param pid the worker
     * @param name the name
     * @param value any JSON-serializable value
     */
    public void putWorkerValue(long pid, String name, Object value) {
        putWorkerValueJson(pid, name, Json.write(value));
    }

    /**
     * Sets a shared value seen only by one worker.
     *
     * @param pid the worker
     * @param name the name
     * @param json the value as JSON text
     */
    public void putWorkerValueJson(long pid, String name, String json) {
        redis.set(keys.workerValue(pid, name), json);
    }

    /**
     * Keeps a live manager's completion list from expiring for {@link ProtocolSettings#COMPLETION_TTL}.
     *
     * @param managerId the manager
     */
    public void keepCompletions(String managerId) {
        redis.expire(keys.completions(managerId), ProtocolSettings.COMPLETION_TTL.toSeconds());
    }

    /**
     * Blocks until a manager's completion list has entries, then pops up to {@code max} of them
     * in one round trip.
     *
     * @param managerId the manager
     * @param timeout how long to block
     * @param max the most entries to pop
     * @return the raw entries (outcomes, or wake-up markers), oldest first; empty on timeout
     */
    public List<String> nextCompletions(String managerId, Duration timeout, int max) {
        return redis.blockingPopMany(keys.completions(managerId), timeout, max);
    }

    /**
     * Wakes a manager's blocked {@link #nextCompletions} with a marker that is not an outcome; the
     * list then expires in a few seconds unless the manager keeps it.
     *
     * @param managerId the manager
     * @param marker what to push
     */
    public void wakeCompletions(String managerId, String marker) {
        redis.rpush(keys.completions(managerId), marker);
        redis.expire(keys.completions(managerId), 5);
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

    /**
     * Re-attaches a manager to a job another manager placed: from now on the job's outcome is
     * pushed to this manager's completion list too, unless it is already stored.
     *
     * @param jobId the job
     * @param managerId the re-attaching manager
     * @return the stored outcome when the job already has one, else empty (it will arrive on the completion list)
     * @throws ProcessError ILLEGAL_STATE when the fleet does not know the job (never placed, or its record expired)
     */
    public Optional<Outcome> watch(String jobId, String managerId) {
        List<?> reply = (List<?>) redis.eval(WATCH, List.of(keys.job(jobId)), List.of(settings, managerId));
        ScriptCode code = ScriptCode.of(reply);
        if (code == ScriptCode.NO_JOB) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "no job " + jobId + " in fleet '" + keys.fleet() + "'; it was never placed here or its record expired "
                            + "(kept for the job TTL after its outcome, PP_JOB_TTL / pp.job.ttl)",
                    null, jobId, null, null, null);
        }
        return code == ScriptCode.FINISHED ? Optional.of(Json.read((String) reply.get(1), Outcome.class)) : Optional.empty();
    }

    /**
     * @param jobId a job
     * @return its hash (payload, state, pid, manager, outcome, progress ...), empty when unknown or expired
     */
    public Map<String, String> jobInfo(String jobId) {
        return redis.hgetAll(keys.job(jobId));
    }

    /**
     * Reads one field of many job hashes in one round trip.
     *
     * @param jobIds the jobs
     * @param field a job hash field (state, outcome ...)
     * @return the field of each job, in order; null where the job or field is missing
     */
    public List<String> jobField(List<String> jobIds, String field) {
        List<String> values = new ArrayList<>(jobIds.size());
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<String> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK));
            redis.batch(b -> chunk.forEach(id -> b.hget(keys.job(id), field))).forEach(v -> values.add((String) v));
        }
        return values;
    }

    /**
     * Marks the fleet as listened to, so scripts write job events for a while.
     *
     * @param ttl how long the mark lasts unless renewed
     */
    public void markListening(Duration ttl) {
        redis.set(keys.listening(), "1", ttl);
    }

    /** @return the id of the newest job event, or "0-0" when there is none (read events after it) */
    public String lastEventId() {
        return redis.lastStreamId(keys.events());
    }

    /**
     * Blocks for job events after an id.
     *
     * @param afterId the last id seen
     * @param timeout how long to block
     * @param count at most this many
     * @return the events, oldest first (empty on timeout)
     */
    public List<Redis.StreamEntry> readEvents(String afterId, Duration timeout, int count) {
        return redis.readStream(keys.events(), afterId, timeout, count);
    }

    /**
     * Reads one consistent snapshot of the fleet with {@code stats-1.lua} (one round trip).
     *
     * @param minutes how many minutes of per-minute counters, the current one included (1..60)
     * @return the script's reply, as its header describes it
     */
    public List<?> statsSnapshot(int minutes) {
        return (List<?>) redis.eval(STATS, List.of(keys.workers()), List.of(settings, Integer.toString(minutes)));
    }

    /**
     * Reads, in one round trip, what placement balances on: each worker's hash and the lengths
     * of its pending and in-flight lists.
     *
     * @param pids the workers
     * @return one entry per pid, in order
     */
    public List<WorkerLoad> loads(List<Long> pids) {
        List<Object> replies = redis.batch(b -> pids.forEach(pid -> {
            b.hgetAll(keys.worker(pid));
            b.llen(keys.pending(pid));
            b.llen(keys.inFlight(pid));
        }));
        List<WorkerLoad> loads = new ArrayList<>(pids.size());
        for (int i = 0; i < pids.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, String> hash = (Map<String, String>) replies.get(3 * i);
            loads.add(new WorkerLoad(pids.get(i), WorkerRecord.from(pids.get(i), hash),
                    (Long) replies.get(3 * i + 1), (Long) replies.get(3 * i + 2)));
        }
        return loads;
    }

    /**
     * A worker's record and queue lengths, read together.
     *
     * @param pid the worker
     * @param record its record, empty when unknown
     * @param pending jobs queued on it
     * @param inFlight jobs it is running (0 or 1)
     */
    public record WorkerLoad(long pid, Optional<WorkerRecord> record, long pending, long inFlight) {

        /** @return true when the worker may be given jobs (known, idle or busy) */
        public boolean takesJobs() {
            return record.map(WorkerRecord::takesJobs).orElse(false);
        }
    }
}
