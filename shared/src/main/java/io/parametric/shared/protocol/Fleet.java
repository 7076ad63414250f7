package io.parametric.shared.protocol;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.redis.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol operations of one fleet, written once so the manager and the worker cannot
 * disagree: register, heartbeat, place, take, finish, re-home, cancel, shared values. Protocol 2:
 * a job's signed entry is stored once (the fleet's {@code jobs} hash), lists hold ids. See
 * {@code docs/protocol.md}. A {@code Fleet} may be one shard of a sharded fleet
 * ({@link FleetShards}): its scripts then run on that shard's keys, while its pid counter and
 * shared values are shard 0's, the fleet's own.
 */
public final class Fleet {

    /** How long a finished job's record is kept by default. */
    public static final Duration DEFAULT_JOB_TTL = Duration.ofHours(24);

    /** Placements per script call; larger calls are split into chunks sent in one pipeline. */
    public static final int CHUNK = 500;

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
    /** Workers whose script KEYS are kept; past that the cache starts again (a process has a few slots). */
    private static final int KEYS_CACHE = 1024;

    private final Redis redis;
    private final FleetKeys keys;
    /** Shard 0's keys: where the pid counter and shared values of the whole fleet live (the same as keys when unsharded). */
    private final FleetKeys fleetWide;
    private final Duration jobTtl;
    private final int maxPayloadBytes;
    private final FleetSecret secret;
    /** The scripts, named for this fleet's secret. */
    private final FleetScripts scripts;
    private final EntryCodec entries;
    private final OutcomeCodec outcomes;
    /** Lambda records read so far, by hash: their content never changes. */
    private final Map<String, LambdaRecord> lambdas = new ConcurrentHashMap<>();
    /** The KEYS of take and finish per worker pid, made once: a slot calls them for every batch. */
    private final ClearingCache<Long, ScriptKeys> workerKeys = new ClearingCache<>(KEYS_CACHE, this::scriptKeys);
    /** ARGV[1] of every script: see {@link ProtocolSettings}. */
    private final String settings;
    /** The same as UTF-8, for the calls made per job (place, finish): not encoded again each time. */
    private final byte[] settingsBytes;
    /** The KEYS of place. */
    private final List<String> placeKeys;

    /**
     * A fleet whose largest entry or return is {@link Limits#maxPayloadBytes()}.
     *
     * @param redis the connection
     * @param keys the fleet's keys
     * @param secret signs and checks entries and outcomes
     * @param jobTtl how long a finished job's record is kept (see {@link Limits#jobTtl()})
     */
    public Fleet(Redis redis, FleetKeys keys, FleetSecret secret, Duration jobTtl) {
        this(redis, keys, secret, jobTtl, Limits.maxPayloadBytes());
    }

    /**
     * @param redis the connection
     * @param keys the fleet's keys
     * @param secret signs and checks entries and outcomes
     * @param jobTtl how long a finished job's record is kept
     * @param maxPayloadBytes the largest entry or return, bytes
     */
    public Fleet(Redis redis, FleetKeys keys, FleetSecret secret, Duration jobTtl, int maxPayloadBytes) {
        this.redis = redis;
        this.keys = keys;
        this.fleetWide = keys.shard() == 0 ? keys : new FleetKeys(keys.fleet());
        this.secret = secret;
        this.jobTtl = jobTtl;
        this.maxPayloadBytes = maxPayloadBytes;
        this.scripts = FleetScripts.of(secret);
        this.entries = new EntryCodec(secret);
        this.outcomes = new OutcomeCodec(secret, maxPayloadBytes);
        this.settings = new ProtocolSettings(keys.prefix(), jobTtl, Limits.keepFinished(), maxPayloadBytes).argv();
        this.settingsBytes = settings.getBytes(StandardCharsets.UTF_8);
        this.placeKeys = List.of(keys.jobs(), keys.records(), keys.lambdas(), keys.jobKeys(), keys.backlog(),
                keys.settings(), keys.protocolVersion());
    }

    /** @return how long a finished job's record is kept */
    public Duration jobTtl() {
        return jobTtl;
    }

    /** @return the largest entry or return, bytes */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** @return the fleet's keys */
    public FleetKeys keys() {
        return keys;
    }

    /** @return the secret this fleet signs and checks entries and outcomes with */
    public FleetSecret secret() {
        return secret;
    }

    /** @return a new pid, never used before in this fleet (whatever shard: the counter is shard 0's) */
    public long newPid() {
        return redis.incrBy(fleetWide.pidCounter(), 1);
    }

    /**
     * Moves the pid counter up to at least {@code pid}, so pids given out later never collide
     * with a worker adopted from elsewhere. Concurrent callers may skip pids, never repeat one.
     *
     * @param pid the highest pid in use
     */
    public void reservePidsUpTo(long pid) {
        long current = redis.incrBy(fleetWide.pidCounter(), 0);
        if (current < pid) {
            redis.incrBy(fleetWide.pidCounter(), pid - current);
        }
    }

    /**
     * Registers a worker slot: its record, the live workers, the open-worker list. It takes jobs
     * with {@link #take} afterwards. A slot whose record vanished (Redis restarted without
     * persistence) registers again under the same pid; the pid counter is then raised to at
     * least that pid so it is never handed out again.
     *
     * @param pid the slot's pid (from {@link #newPid()})
     * @param fields the worker record: name, kind, host, ospid, types (",a,b,") ...
     * @throws ProcessError ILLEGAL_STATE when the fleet holds workers or jobs of another protocol
     *     version, naming what to upgrade
     */
    public void register(long pid, Map<String, String> fields) {
        List<String> args = new ArrayList<>();
        args.add(settings);
        args.add(Long.toString(pid));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        List<?> reply = (List<?>) redis.eval(scripts.register(),
                List.of(keys.worker(pid), keys.workers(), keys.openWorkers(), keys.pidCounter(), keys.protocolVersion(),
                        keys.backlog(), keys.jobs()),
                args);
        if (ScriptCode.of(reply) == ScriptCode.VERSION) {
            throw new ProcessError(Reason.ILLEGAL_STATE, "fleet '" + keys.fleet() + "' holds protocol-" + reply.get(2)
                    + " " + reply.get(1) + " and this worker speaks protocol " + JobPayload.VERSION
                    + ": drain the fleet with its old workers and stop them, then start protocol-" + JobPayload.VERSION
                    + " workers (or use a new fleet name)");
        }
    }

    /**
     * Refreshes heartbeats and reads where jobs wait.
     *
     * @param pids the slots of this process
     * @return the slots no longer live, those with queued jobs, and whether the backlog holds any
     */
    public Beat heartbeat(Collection<Long> pids) {
        List<String> args = new ArrayList<>();
        args.add(settings);
        pids.forEach(p -> args.add(String.valueOf(p)));
        List<?> reply = (List<?>) redis.eval(scripts.heartbeat(), List.of(keys.workers(), keys.backlog()), args);
        return new Beat(pidsOf(reply.get(0)), pidsOf(reply.get(1)), ((Long) reply.get(2)) == 1);
    }

    private static List<Long> pidsOf(Object pids) {
        return ((List<?>) pids).stream().map(p -> Long.parseLong((String) p)).toList();
    }

    /**
     * What a heartbeat found.
     *
     * @param gone the slots that are no longer live workers (reaped or closed): they must stop
     * @param queued the live slots whose pending or in-flight list holds ids
     * @param backlog true when the fleet backlog holds ids
     */
    public record Beat(List<Long> gone, List<Long> queued, boolean backlog) {}

    /** @return the pids of the live workers, ascending */
    public List<Long> livePids() {
        return redis.zrange(keys.workers()).stream().map(Long::parseLong).sorted().toList();
    }

    /**
     * @param pid a worker
     * @return its record as stored, empty when unknown (for diagnostics; code reads {@link #worker})
     */
    public Map<String, String> workerInfo(long pid) {
        return redis.hgetAll(keys.worker(pid));
    }

    /**
     * Records in a worker's record (field {@code missingClass}) the latest class a job needed that
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
     * @return its latest outcome, or null (also when it does not carry a valid signature)
     */
    public Outcome latestOutcome(long pid) {
        String ret = redis.hget(keys.worker(pid), "ret");
        return ret == null ? null : readOutcome(ret);
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
     * Safe to repeat: a job the fleet already holds is not placed twice. When the fleet's backlog
     * is at its limit ({@link #backlogLimit()}), waits up to {@code backlogWait} for room.
     *
     * @param placements the jobs
     * @param candidates pids an open placement may choose from, or null for any live worker
     * @param backlogWait how long to wait for room in a full backlog
     * @return where each job went
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE, naming the pid and type; BAD_PAYLOAD
     *     when an entry is larger than {@link #maxPayloadBytes()}; QUEUE_FULL when the backlog
     *     stayed full (each naming what was placed: nothing in the refused chunk)
     */
    public List<Placed> place(List<Placement> placements, Collection<Long> candidates, Duration backlogWait) {
        String allowed = "*";
        if (candidates != null) {
            StringBuilder pids = new StringBuilder(",");
            for (Long pid : candidates) {
                pids.append(pid).append(',');
            }
            allowed = pids.toString();
        }
        // Every entry is encoded, and its size checked, before any is sent: all or nothing.
        List<List<Object>> chunks = new ArrayList<>();
        for (int from = 0; from < placements.size(); from += CHUNK) {
            chunks.add(placeArgs(placements.subList(from, Math.min(placements.size(), from + CHUNK)), allowed));
        }
        long deadline = System.nanoTime() + backlogWait.toNanos();
        long pauseMs = 10;
        while (true) {
            // One chunk (a submit, a small distribute) is one FCALL: no pipeline to build.
            List<Object> replies = chunks.size() == 1
                    ? Collections.singletonList(redis.evalBytes(scripts.place(), placeKeys, chunks.get(0)))
                    : redis.batch(b -> chunks.forEach(args -> b.evalBytes(scripts.place(), placeKeys, args)));
            List<Placed> placed = new ArrayList<>(placements.size());
            List<?> full = null;
            for (Object r : replies) {
                List<?> reply = (List<?>) r;
                ScriptCode code = ScriptCode.of(reply);
                switch (code) {
                    case NO_SUCH_WORKER -> throw new ProcessError(Reason.NO_SUCH_WORKER,
                            "worker " + text(reply.get(1)) + " is not a live worker of fleet '" + keys.fleet()
                                    + "' (closed, dead or never registered); nothing was placed — pick a pid from workerPids()",
                            Long.parseLong(text(reply.get(1))), null, null, null, null);
                    case UNKNOWN_TYPE -> throw new ProcessError(Reason.UNKNOWN_JOB_TYPE,
                            "worker " + text(reply.get(1)) + " does not list job type '" + text(reply.get(2))
                                    + "'; nothing was placed — register the type on that worker or place the job elsewhere",
                            Long.parseLong(text(reply.get(1))), null, null, null, null);
                    case QUEUE_FULL -> full = reply;
                    case VERSION -> throw new ProcessError(Reason.ILLEGAL_STATE, "fleet '" + keys.fleet()
                            + "' runs workers of protocol " + text(reply.get(1)) + " and this manager speaks protocol "
                            + JobPayload.VERSION + "; nothing was placed — upgrade them to protocol " + JobPayload.VERSION
                            + " (drain the fleet, stop them, start new ones), or use another fleet name");
                    default -> reply.subList(1, reply.size()).forEach(w -> placed.add(Placed.of(w)));
                }
            }
            if (full == null) {
                return placed;
            }
            if (System.nanoTime() >= deadline) {
                throw new ProcessError(Reason.QUEUE_FULL, "the backlog of fleet '" + keys.fleet() + "' holds "
                        + full.get(2) + " jobs, at its limit of " + full.get(1) + ", and no room came within "
                        + backlogWait.toMillis() + " ms (pp.backlog.wait); jobs of the refused chunk were not placed"
                        + " — add workers, wait, or raise the limit with backlogLimit(n)");
            }
            // Placing again is safe: jobs placed by this attempt are skipped (their reply is -1).
            sleep(pauseMs);
            pauseMs = Math.min(pauseMs * 2, 500);
        }
    }

    /**
     * The ARGV of one place.lua call: settings, candidates, the lambda records the jobs name, the
     * distinct specs (type, key, target, fallback) of the chunk, then 3 per job: id, entry, spec.
     *
     * @throws ProcessError BAD_PAYLOAD as {@link #encode}
     */
    private List<Object> placeArgs(List<Placement> chunk, String allowed) {
        Map<String, String> fns = new LinkedHashMap<>();
        Map<Spec, String> specs = new LinkedHashMap<>();
        List<Object> jobs = new ArrayList<>(chunk.size() * 3);
        for (Placement p : chunk) {
            EntryCodec.Encoded e = encode(p.job());
            if (e.lambda() != null) {
                fns.putIfAbsent(e.lambda().hash(), e.lambda().json());
            }
            Spec spec = new Spec(p.jobType(), p.job().key() == null ? "" : p.job().key(), p.target(), p.fallback());
            String number = specs.get(spec);
            if (number == null) {
                number = Integer.toString(specs.size() + 1);
                specs.put(spec, number);
            }
            // The entry travels as the bytes it was signed as: no String of it is made.
            jobs.add(p.jobId());
            jobs.add(e.bytes());
            jobs.add(number);
        }
        List<Object> args = new ArrayList<>(4 + 2 * fns.size() + 4 * specs.size() + jobs.size());
        args.add(settingsBytes);
        args.add(allowed);
        args.add(Integer.toString(fns.size()));
        fns.forEach((hash, json) -> {
            args.add(hash);
            args.add(json);
        });
        args.add(Integer.toString(specs.size()));
        for (Spec spec : specs.keySet()) {
            args.add(spec.jobType());
            args.add(spec.key());
            args.add(spec.target());
            args.add(spec.fallback());
        }
        args.addAll(jobs);
        return args;
    }

    /** What place.lua needs to know of a job besides its id and entry; a chunk's jobs mostly share one. */
    private record Spec(String jobType, String key, String target, String fallback) {}

    /**
     * Where {@link #place} put a job.
     *
     * @param pid the worker, 0 for the fleet backlog (or already placed by an earlier attempt)
     * @param joined for a keyed job that joined the queued or running job of its key: that job's id; else null
     */
    public record Placed(long pid, String joined) {

        static Placed of(Object reply) {
            if (reply instanceof Long pid) {
                return new Placed(Math.max(0, pid), null);
            }
            return new Placed(0, text(reply));
        }
    }

    /**
     * @param job a job
     * @return its signed entry
     * @throws ProcessError BAD_PAYLOAD when it is larger than {@link #maxPayloadBytes()}
     */
    private EntryCodec.Encoded encode(JobPayload job) {
        EntryCodec.Encoded e = entries.encode(job);
        if (e.bytes().length > maxPayloadBytes) {
            throw new ProcessError(Reason.BAD_PAYLOAD,
                    "job " + job.id() + " is " + e.bytes().length + " bytes, over the limit of " + maxPayloadBytes
                            + " (PP_MAX_PAYLOAD / pp.maxPayloadBytes); nothing was placed — pass a reference"
                            + " (a key, a path, a URL) instead of the data, or raise the limit",
                    null, job.id(), null, null, null);
        }
        return e;
    }

    /**
     * Sets the fleet's backlog limit, read by every manager's placement.
     *
     * @param limit the most jobs the fleet backlog may hold; 0 or less for no limit
     */
    public void backlogLimit(long limit) {
        if (limit > 0) {
            redis.hset(keys.settings(), Map.of("backlogLimit", Long.toString(limit)));
        } else {
            redis.hdel(keys.settings(), "backlogLimit");
        }
    }

    /** @return the fleet's backlog limit, 0 when there is none */
    public long backlogLimit() {
        String limit = redis.hget(keys.settings(), "backlogLimit");
        try {
            return limit == null ? 0 : Long.parseLong(limit);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Takes jobs for a worker (see {@code take.lua}): its own list first, else the fleet backlog,
     * until it holds {@code batch}; each is checked and its delivery counted inside Redis.
     *
     * @param pid the worker
     * @param batch how many jobs it holds at most
     * @return every job in its in-flight list
     */
    public Taken take(long pid, int batch) {
        List<?> reply = (List<?>) redis.evalBytes(scripts.take(), workerKeys.get(pid).take(),
                List.of(settings, Long.toString(pid), Integer.toString(batch)));
        if (ScriptCode.of(reply) == ScriptCode.GONE) {
            return new Taken(true, false, List.of());
        }
        return taken(reply, 1);
    }

    /**
     * An outcome to store, with the job as the worker read it from its checked entry: finish then
     * takes the job's retries, key and manager from it instead of reading the entry again.
     *
     * @param outcome the outcome
     * @param job the job it is the outcome of, or null when the worker could not read its entry
     */
    public record Ran(Outcome outcome, JobPayload job) {}

    /**
     * Stores the outcomes of jobs a worker ran and takes its next jobs, in one round trip. The
     * entry of a job the worker read is not read again.
     *
     * @param pid the worker
     * @param ran the outcomes, each with its job when the worker read it (may be empty)
     * @param batch how many jobs it holds at most; 0 to take none (it is stopping)
     * @return a code per outcome and every job now in its in-flight list
     */
    public Finish finish(long pid, List<Ran> ran, int batch) {
        List<Object> args = new ArrayList<>(3 + 7 * ran.size());
        args.add(settingsBytes);
        args.add(Long.toString(pid));
        args.add(Integer.toString(batch));
        for (Ran r : ran) {
            Outcome o = r.outcome();
            Outcome outcome = o;
            byte[] json = OutcomeCodec.json(o);
            if (json.length > maxPayloadBytes) {
                outcome = tooLarge(o, pid, json.length);
                json = OutcomeCodec.json(outcome);
            }
            args.add(outcome.jobId());
            args.add(outcome.ok() ? "done" : "failed");
            args.add(outcome.reason() == null ? "" : outcome.reason());
            args.add(outcomes.seal(json));
            args.add(r.job() == null ? "" : Integer.toString(r.job().retries()));
            args.add(r.job() == null || r.job().key() == null ? "" : r.job().key());
            args.add(r.job() == null || r.job().manager() == null ? "" : r.job().manager());
        }
        List<?> reply = (List<?>) redis.evalBytes(scripts.finish(), workerKeys.get(pid).finish(), args);
        ScriptCode.of(reply);
        int n = ((Long) reply.get(1)).intValue();
        List<ScriptCode> codes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ScriptCode code = ScriptCode.of(reply.get(2 + i));
            String jobId = ran.get(i).outcome().jobId();
            switch (code) {
                case REPEATED -> LOG.info("job {} on worker {}: its outcome was already stored (the call was repeated"
                        + " after Redis went away)", jobId, pid);
                case STALE -> LOG.warn("refused a late completion of job {} from worker {}: the job was re-homed after"
                        + " the worker missed its lease, so another delivery owns it ({} refused in fleet '{}' so far)",
                        jobId, pid, staleFinishes(), keys.fleet());
                case RETRY -> LOG.info("job {} failed on worker {}; it will be retried (withRetries)", jobId, pid);
                default -> { }
            }
            codes.add(code);
        }
        return new Finish(codes, taken(reply, 2 + n));
    }

    /** The BAD_PAYLOAD failure stored instead of an outcome too large to store. */
    private Outcome tooLarge(Outcome outcome, long pid, int bytes) {
        return Outcome.failure(outcome.jobId(), pid, "BAD_PAYLOAD",
                "the return of job " + outcome.jobId() + " is " + bytes
                        + " bytes of JSON, over the limit of " + maxPayloadBytes
                        + " (PP_MAX_PAYLOAD / pp.maxPayloadBytes); return less, or store big results elsewhere and return a reference",
                outcome.attempt());
    }

    /** The KEYS of take.lua and of finish.lua for one worker. */
    private record ScriptKeys(List<String> take, List<String> finish) {}

    private ScriptKeys scriptKeys(long pid) {
        List<String> take = List.of(keys.inFlight(pid), keys.pending(pid), keys.worker(pid), keys.openWorkers(),
                keys.backlog(), keys.workers(), keys.jobs(), keys.records(), keys.deadLetter());
        List<String> finish = new ArrayList<>(take);
        finish.addAll(List.of(keys.finished(), keys.delayed(), keys.staleFinishes()));
        return new ScriptKeys(take, List.copyOf(finish));
    }

    /** @return the jobs a take or finish reply carries from {@code at}: more, then (id, entry, deliveries)... */
    private static Taken taken(List<?> reply, int at) {
        boolean more = reply.size() > at && Long.valueOf(1).equals(reply.get(at));
        List<TakenJob> jobs = new ArrayList<>();
        for (int i = at + 1; i + 2 < reply.size(); i += 3) {
            jobs.add(new TakenJob(text(reply.get(i)), (byte[]) reply.get(i + 1), (Long) reply.get(i + 2)));
        }
        return new Taken(false, more, jobs);
    }

    /**
     * What a take (or the take part of a finish) found.
     *
     * @param gone true when the worker is not live any more (closed, closing or reaped)
     * @param more true when the take stopped at its bound of dropped ids: take again at once
     * @param jobs every job in the worker's in-flight list, oldest first
     */
    public record Taken(boolean gone, boolean more, List<TakenJob> jobs) {}

    /**
     * A job in a worker's in-flight list, its delivery counted.
     *
     * @param id the job id
     * @param entry its entry, exactly as Redis holds it (empty when it vanished meanwhile)
     * @param attempt which run this is: the retries used before it plus its deliveries in this
     *     attempt, this one included (1 for a first delivery)
     */
    public record TakenJob(String id, byte[] entry, long attempt) {}

    /**
     * What {@link #finish} did.
     *
     * @param codes per outcome: OK, RETRY (waits for a retry), STALE (refused: re-homed), REPEATED
     * @param next every job now in the worker's in-flight list
     */
    public record Finish(List<ScriptCode> codes, Taken next) {}

    /**
     * Reads a taken job: checks its signature, version and id, and fills in its lambda record.
     *
     * @param job a taken job
     * @return its payload
     * @throws IllegalArgumentException naming what is wrong; the worker then fails the job and
     *     dead-letters its entry ({@link #reject})
     */
    public JobPayload decode(TakenJob job) {
        return entries.decode(job.id(), job.entry(), this::lambda);
    }

    private LambdaRecord lambda(String hash) {
        LambdaRecord known = lambdas.get(hash);
        if (known != null) {
            return known;
        }
        String stored = redis.hget(keys.lambdas(), hash);
        if (stored == null) {
            throw new IllegalArgumentException("its lambda record " + LogText.safe(hash) + " is missing from the fleet");
        }
        LambdaRecord read = LambdaRecord.read(hash, stored.getBytes(StandardCharsets.UTF_8));
        lambdas.put(hash, read);
        return read;
    }

    /**
     * Refuses a taken job the worker cannot read: its entry goes to the dead-letter list (at most
     * {@link ProtocolSettings#DEAD_LETTER_COPY_BYTES} copied, with its size and SHA-256).
     *
     * @param pid the worker
     * @param job the job
     * @param reason why it cannot be read
     * @return the job's BAD_PAYLOAD failure, for the worker's next {@link #finish} (it signs it, so
     *     the manager hears why)
     */
    public Outcome reject(long pid, TakenJob job, String reason) {
        redis.rpush(keys.deadLetter(), deadLetterEntry("job " + job.id() + " cannot be read by worker " + pid + ": " + reason,
                job.id(), job.entry()));
        redis.trimToNewest(keys.deadLetter(), ProtocolSettings.DEAD_LETTER_CAP);
        return Outcome.failure(job.id(), pid, Reason.BAD_PAYLOAD.name(),
                "job " + job.id() + " cannot be read by worker " + pid + ": " + reason
                        + "; it went to the dead-letter list — place it again with a manager of this fleet (same"
                        + " protocol version and PP_SECRET)", (int) job.attempt());
    }

    /**
     * @param pid a worker
     * @return the ids in its in-flight list: jobs it took and has not finished
     */
    public List<String> inFlight(long pid) {
        return redis.lrange(keys.inFlight(pid));
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
     * @param pid a worker
     * @return its state; empty when it has no record (or a state no protocol version writes)
     */
    public Optional<WorkerState> workerState(long pid) {
        return WorkerState.parse(redis.hget(keys.worker(pid), "state"));
    }

    /**
     * Records a running job's progress in its record; nothing when it does not run.
     *
     * @param jobId the job
     * @param fraction between 0 and 1
     */
    public void progress(String jobId, double fraction) {
        redis.eval(scripts.progress(), List.of(keys.records()), List.of(settings, jobId, Double.toString(fraction)));
    }

    /**
     * Takes a worker out of the fleet and hands its jobs on (to open workers or the backlog), in
     * bounded calls of {@link ProtocolSettings#REHOME_CHUNK} queued jobs; pinned jobs fail with
     * WORKER_LOST.
     *
     * @param pid the worker
     * @param includeInFlight true to hand on its in-flight jobs too (the worker is dead or stopped)
     * @param newState "closing" (still finishing its running job), "closed" or "dead"; null to
     *     leave it (an orphan: a worker already out of the fleet whose queue is still being handed on)
     * @param why for messages, e.g. "closed by its manager"
     * @return how many jobs moved, failed and went to the dead-letter list
     */
    public Rehomed rehome(long pid, boolean includeInFlight, String newState, String why) {
        long moved = 0;
        long failed = 0;
        long deadLettered = 0;
        long remaining;
        boolean withInFlight = includeInFlight;
        do {
            List<?> reply = (List<?>) redis.eval(scripts.close(),
                    List.of(keys.pending(pid), keys.inFlight(pid), keys.worker(pid), keys.workers(),
                            keys.openWorkers(), keys.orphans()),
                    List.of(settings, Long.toString(pid), withInFlight ? "1" : "0", newState == null ? "" : newState, why));
            ScriptCode.of(reply);
            moved += (Long) reply.get(1);
            failed += (Long) reply.get(2) + (Long) reply.get(4);
            deadLettered += (Long) reply.get(3);
            remaining = (Long) reply.get(5);
            withInFlight = false;
        } while (remaining > 0);
        return new Rehomed(moved, failed, deadLettered);
    }

    /**
     * What {@link #rehome} did.
     *
     * @param moved jobs handed to another worker or the backlog
     * @param failed pinned (WORKER_LOST), cancelled or poison jobs failed
     * @param deadLettered entries that were not jobs
     */
    public record Rehomed(long moved, long failed, long deadLettered) {}

    /**
     * One reaper tick, timed by Redis's clock (see {@code reap.lua}): promotes due delayed jobs;
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
        List<?> reply = (List<?>) redis.eval(scripts.reap(),
                List.of(keys.workers(), keys.reaperLock(), keys.redisRunId(), keys.orphans()),
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
     * @throws ProcessError BAD_PAYLOAD when an entry is larger than {@link #maxPayloadBytes()} (nothing placed)
     */
    public void schedule(List<Scheduled> jobs) {
        List<List<Object>> chunks = new ArrayList<>();
        List<String> fnArgs = new ArrayList<>();
        for (int from = 0; from < jobs.size(); from += CHUNK) {
            List<Object> args = new ArrayList<>();
            args.add(settings);
            for (Scheduled j : jobs.subList(from, Math.min(jobs.size(), from + CHUNK))) {
                EntryCodec.Encoded e = encode(j.job());
                if (e.lambda() != null) {
                    fnArgs.add(e.lambda().hash());
                    fnArgs.add(e.lambda().json());
                }
                args.addAll(List.of(j.job().id(), e.bytes(), Long.toString(Math.max(0, j.delay().toMillis()))));
            }
            chunks.add(args);
        }
        storeLambdas(fnArgs);
        chunks.forEach(args -> redis.evalBytes(scripts.schedule(), List.of(keys.jobs(), keys.records(), keys.delayed()), args));
    }

    /** Stores lambda records (hash, json pairs) a schedule names; a record, named by its content, is never rewritten. */
    private void storeLambdas(List<String> hashAndJson) {
        for (int i = 0; i < hashAndJson.size(); i += 2) {
            redis.hsetnx(keys.lambdas(), hashAndJson.get(i), hashAndJson.get(i + 1));
        }
    }

    /**
     * One job for {@link #schedule}.
     *
     * @param job the job (its id and manager included)
     * @param delay how long from now (Redis time) until it may run
     */
    public record Scheduled(JobPayload job, Duration delay) {}

    /**
     * Cancels a job (see {@code cancel.lua}): a waiting job fails with CANCELLED at once (its id
     * stays where it waits, a tombstone the next take drops); a running one is marked and its
     * worker interrupts it.
     *
     * @param jobId the job
     * @param who who asks, for the message
     * @return what happened
     */
    public Cancel cancel(String jobId, String who) {
        List<?> reply = (List<?>) redis.eval(scripts.cancel(), List.of(keys.jobs(), keys.records(), keys.delayed()),
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
        /** The job was waiting: failed with CANCELLED, its manager notified. */
        REMOVED,
        /** The job runs: its worker will interrupt it; its outcome will be CANCELLED unless it returns first. */
        INTERRUPTING,
        /** The job already has an outcome. */
        ALREADY_FINISHED,
        /** No such job (never placed, or its record was trimmed). */
        UNKNOWN
    }

    /**
     * @param pid a worker
     * @return the ids of running jobs a manager asked that worker to interrupt; see {@link #cancel}
     */
    public List<String> cancelRequests(long pid) {
        String asked = redis.hget(keys.worker(pid), "cancel");
        return asked == null ? List.of() : java.util.Arrays.stream(asked.split(",")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Clears a worker's cancel requests once it acted on them.
     *
     * @param pid the worker
     */
    public void clearCancelRequests(long pid) {
        redis.hdel(keys.worker(pid), "cancel");
    }

    /**
     * Reads the stored outcomes of jobs in one round trip per {@value #CHUNK}, for a manager
     * catching up after an outage (an outcome popped from its completion list just before Redis
     * died is lost to the list, never to the job's record).
     *
     * @param jobIds the jobs
     * @return the outcomes found, by job id (jobs without one, or unknown here, are left out)
     */
    public Map<String, Outcome> storedOutcomes(List<String> jobIds) {
        Map<String, Outcome> found = new LinkedHashMap<>();
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<String> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK));
            List<String> records = redis.hmget(keys.records(), chunk);
            for (int i = 0; i < chunk.size(); i++) {
                JobRecord r = JobRecord.parse(records.get(i));
                if (r != null && r.ended()) {
                    Outcome o = readOutcome(r.outcome());
                    if (o != null) {
                        found.put(chunk.get(i), o);
                    }
                }
            }
        }
        return found;
    }

    /**
     * @param text an outcome as stored
     * @return the outcome, or null when it is unreadable or its signature is wrong (logged: it is dropped)
     */
    public Outcome readOutcome(String text) {
        try {
            return outcomes.read(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("fleet '{}': dropped an outcome: {}", keys.fleet(), LogText.safe(e.getMessage()));
            return null;
        }
    }

    /**
     * @param jobIds jobs
     * @return those the fleet holds neither an entry nor a record of (never placed here, trimmed,
     *     or lost by a Redis that restarted without its data)
     */
    public List<String> missingJobs(List<String> jobIds) {
        List<String> missing = new ArrayList<>();
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<String> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK));
            List<Object> replies = redis.batch(b -> chunk.forEach(id -> {
                b.hexists(keys.jobs(), id);
                b.hexists(keys.records(), id);
            }));
            for (int i = 0; i < chunk.size(); i++) {
                if (Boolean.FALSE.equals(replies.get(2 * i)) && Boolean.FALSE.equals(replies.get(2 * i + 1))) {
                    missing.add(chunk.get(i));
                }
            }
        }
        return missing;
    }

    /** @return the dead-letter list: JSON records with {@code reason}, {@code jobId}, {@code size} and the entry (or its start) */
    public List<String> deadLetters() {
        return redis.lrange(keys.deadLetter());
    }

    /**
     * Gives every dead-lettered job whose whole entry the record holds a fresh start (deliveries
     * 0) on an open worker or the backlog; the entry goes back unchanged (never re-signed: workers
     * check it again). Other records stay. Bounded calls of {@link ProtocolSettings#REHOME_CHUNK}.
     *
     * @return how many jobs were requeued
     */
    public int requeueDeadLetters() {
        long toLook = redis.llen(keys.deadLetter());
        int requeued = 0;
        while (toLook > 0) {
            long look = Math.min(toLook, ProtocolSettings.REHOME_CHUNK);
            List<?> reply = (List<?>) redis.eval(scripts.requeue(), List.of(keys.deadLetter(), keys.jobs(), keys.records()),
                    List.of(settings, Long.toString(look)));
            ScriptCode.of(reply);
            requeued += ((Long) reply.get(1)).intValue();
            toLook -= look;
        }
        return requeued;
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

    /**
     * A dead-letter record a worker writes: the reason, the job id, a copy of at most
     * {@link ProtocolSettings#DEAD_LETTER_COPY_BYTES} bytes of the entry (as text; bytes that are
     * not UTF-8 read as U+FFFD), its size in bytes and its SHA-256, and {@code truncated: true}
     * when the copy is not the whole entry. A huge entry never makes a huge record.
     *
     * @param reason why the entry cannot be run
     * @param jobId the job id it was taken under
     * @param entry the raw entry
     * @return the record, JSON
     */
    public static String deadLetterEntry(String reason, String jobId, byte[] entry) {
        int copied = Math.min(entry.length, ProtocolSettings.DEAD_LETTER_COPY_BYTES);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("reason", reason);
        record.put("jobId", jobId);
        record.put("entry", new String(entry, 0, copied, StandardCharsets.UTF_8));
        record.put("size", entry.length);
        record.put("sha256", sha256(entry));
        if (copied < entry.length) {
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

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // a backoff while the backlog is full, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError(Reason.QUEUE_FULL, "interrupted while waiting for room in the backlog");
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
        redis.set(fleetWide.value(name), json);
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
        redis.set(fleetWide.workerValue(pid, name), json);
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
        return redis.get(fleetWide.value(name));
    }

    /**
     * @param pid the worker asking
     * @param name the name
     * @return that worker's own value as JSON text, else the fleet-wide one, else null
     */
    public String fetchValue(long pid, String name) {
        List<Object> both = redis.batch(b -> {
            b.get(fleetWide.workerValue(pid, name));
            b.get(fleetWide.value(name));
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
            return redis.incrBy(fleetWide.value(name), delta);
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
     * @throws ProcessError ILLEGAL_STATE when the fleet does not know the job (never placed, or its record trimmed)
     */
    public Optional<Outcome> watch(String jobId, String managerId) {
        List<?> reply = (List<?>) redis.eval(scripts.watch(), List.of(keys.jobs(), keys.records(), keys.watchers()),
                List.of(settings, jobId, managerId));
        ScriptCode code = ScriptCode.of(reply);
        if (code == ScriptCode.NO_JOB) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "no job " + jobId + " in fleet '" + keys.fleet() + "'; it was never placed here or its record was trimmed "
                            + "(kept for PP_JOB_TTL / pp.job.ttl after its outcome, at most PP_KEEP_FINISHED / pp.keep.finished records)",
                    null, jobId, null, null, null);
        }
        return code == ScriptCode.FINISHED ? Optional.ofNullable(readOutcome((String) reply.get(1))) : Optional.empty();
    }

    /**
     * @param jobId a job
     * @return what the fleet knows of it: its record, {@link JobRecord#QUEUED} (an entry, no record
     *     yet), or empty when unknown
     */
    public Optional<JobRecord> job(String jobId) {
        return Optional.ofNullable(records(List.of(jobId)).get(0));
    }

    /**
     * Reads what the fleet knows of many jobs, one round trip per {@value #CHUNK}.
     *
     * @param jobIds the jobs
     * @return per job, in order: its record, {@link JobRecord#QUEUED}, or null when unknown
     */
    public List<JobRecord> records(List<String> jobIds) {
        List<JobRecord> values = new ArrayList<>(jobIds.size());
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<String> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK));
            List<Object> replies = redis.batch(b -> chunk.forEach(id -> {
                b.hget(keys.records(), id);
                b.hexists(keys.jobs(), id);
            }));
            for (int i = 0; i < chunk.size(); i++) {
                JobRecord r = JobRecord.parse((String) replies.get(2 * i));
                values.add(r != null ? r : Boolean.TRUE.equals(replies.get(2 * i + 1)) ? JobRecord.QUEUED : null);
            }
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
     * Reads one consistent snapshot of the fleet with {@code stats.lua} (one round trip).
     *
     * @param minutes how many minutes of per-minute counters, the current one included (1..60)
     * @return the script's reply, as its header describes it
     */
    public List<?> statsSnapshot(int minutes) {
        return (List<?>) redis.eval(scripts.stats(), List.of(keys.workers()), List.of(settings, Integer.toString(minutes)));
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
