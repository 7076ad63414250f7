package io.parametric.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.LogText;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.WorkerState;
import io.parametric.shared.protocol.QueueEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a worker process: its own pid, queue and thread. It registers (taking a backlog
 * job if there is one), then loops: run the job in its in-flight list on its job thread and
 * finish it — which, while jobs are queued, also takes and starts the next one, so a busy worker
 * spends one round trip per job. Idle, it blocks on its own list for a few seconds at a time and
 * then looks at the backlog (a job nobody offered it). Nothing that happens to one job, and no Redis outage, ends
 * the loop; only a stop request does.
 */
final class Slot implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Slot.class);

    /** Exit status of a spawned one-slot worker that finds it was reaped: its manager replaces it. */
    static final int EXIT_REAPED = 75;

    /**
     * How long an idle slot blocks on its own list before it looks at the backlog (a job nobody
     * offered it) and notices a stop or resync.
     */
    static final Duration IDLE_TAKE_INTERVAL = Duration.ofSeconds(5);

    private final Fleet fleet;
    private final JobRunner runner;
    private final Recovery recovery;
    private final WorkerConfig config;
    private final String host;
    private final Consumer<Slot> onRegistered;
    private final ExecutorService jobThread;
    private final JobWatchdog watchdog;
    private final JobObserver observer;

    private volatile long pid;
    private volatile String name;
    private volatile boolean registered;
    private volatile boolean deregistered;
    private volatile boolean stopRequested;
    private volatile boolean resyncRequested;
    private volatile boolean closedByFleet;
    private volatile Future<Outcome> running;
    /** The entry being processed (slot thread only). */
    private QueueEntry current;
    /** The last entry that broke the slot's own code (slot thread only). */
    private QueueEntry brokenEntry;
    /** The next entry a finish already started, with how (slot thread only); see {@link #nextOf}. */
    private StartedEntry started;
    /** True while the slot holds an entry a take or finish started, until it has run it. */
    private volatile boolean holding;
    private volatile QueueEntry runningEntry;
    private volatile JobPayload runningPayload;

    /**
     * @param fleet the fleet
     * @param runner runs jobs
     * @param recovery waits out Redis outages
     * @param config the process settings
     * @param host this host's name
     * @param onRegistered told after each registration (announce, heartbeat)
     * @param watchdog enforces job timeouts and delivers cancellations
     * @param observer told when a job starts and ends (metrics)
     */
    Slot(Fleet fleet, JobRunner runner, Recovery recovery, WorkerConfig config, String host, Consumer<Slot> onRegistered,
         JobWatchdog watchdog, JobObserver observer) {
        this.watchdog = watchdog;
        this.observer = observer;
        this.fleet = fleet;
        this.runner = runner;
        this.recovery = recovery;
        this.config = config;
        this.host = host;
        this.onRegistered = onRegistered;
        this.jobThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pp-job");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the slot's pid, 0 before it registered */
    long pid() {
        return pid;
    }

    /** @return the slot's name, null before it registered */
    String name() {
        return name;
    }

    /** @return true once registered and until it deregisters */
    boolean isLive() {
        return registered && !deregistered;
    }

    /** @return true while a job runs on this slot, or the slot holds one already started in Redis */
    boolean isRunningJob() {
        return running != null || holding;
    }

    /** Stops taking jobs; the running job finishes. */
    void requestStop() {
        stopRequested = true;
    }

    /** Asks the slot to check its registration at its next safe point (between jobs). */
    void requestResync() {
        resyncRequested = true;
    }

    /** @return true when the fleet (its manager) closed this slot rather than the process shutting down */
    boolean closedByFleet() {
        return closedByFleet;
    }

    /**
     * Takes the slot out of the fleet: its queued and in-flight entries go to open workers or the
     * backlog. Called by the slot itself when the fleet closed it, and by the shutdown hook.
     *
     * @param why for the job messages
     * @param giveUp when to stop waiting for Redis
     */
    synchronized void deregister(String why, BooleanSupplier giveUp) {
        if (!registered || deregistered) {
            return;
        }
        Fleet.Rehomed r = recovery.call(() -> fleet.rehome(pid, true, "closed", why), giveUp);
        deregistered = true;
        log.info("worker {} ({}) deregistered: {} job(s) handed to the fleet, {} pinned job(s) failed",
                pid, name, r.moved(), r.failed());
    }

    /**
     * Marks the slot closing and hands its queued jobs to the fleet at once, so other workers
     * start them while this one finishes its running job.
     *
     * @param giveUp when to stop waiting for Redis
     */
    synchronized void handOffQueued(BooleanSupplier giveUp) {
        if (!registered || deregistered) {
            return;
        }
        Fleet.Rehomed r = recovery.call(() -> fleet.rehome(pid, false, "closing", "its worker is shutting down"), giveUp);
        if (r.moved() + r.failed() > 0) {
            log.info("worker {} ({}) closing: {} queued job(s) handed to the fleet", pid, name, r.moved());
        }
    }

    @Override
    public void run() {
        QueueEntry next = null;
        try {
            next = register(recovery.call(fleet::newPid, () -> stopRequested));
        } catch (Recovery.GaveUp e) {
            return;
        }
        long seenOutages = recovery.outages();
        while (!stopRequested) {
            try {
                if (resyncRequested || recovery.outages() != seenOutages) {
                    resyncRequested = false;
                    seenOutages = recovery.outages();
                    next = resync(next);
                    if (stopRequested) {
                        break;
                    }
                }
                QueueEntry entry = next != null ? next : idleTake();
                next = null;
                if (entry == null) {
                    continue;
                }
                if (stopRequested && (started == null || started.entry() != entry)) {
                    // Not started: it stays in the in-flight list and is handed back on deregistration.
                    // (One a finish already started is this slot's running job: it runs to its end.)
                    break;
                }
                current = entry;
                try {
                    next = process(entry);
                } finally {
                    holding = started != null;
                }
                current = null;
            } catch (Recovery.GaveUp e) {
                break;
            } catch (Throwable t) {
                if (FatalExit.isFatal(t)) {
                    FatalExit.outOfMemory(String.valueOf(t.getMessage()), "worker " + pid);
                }
                // Nothing else ends a slot: log, breathe, and go on with the next job.
                log.error("worker {} ({}): unexpected error, going on: {}", pid, name, t.toString(), t);
                next = giveUpOnRepeatedError(current, t);
                current = null;
                resyncRequested = next == null;
                pauseAfterError();
            }
        }
        if (closedByFleet) {
            deregister("closed by its manager", () -> false);
        }
        jobThread.shutdown();
    }

    /**
     * Waits, idle, up to {@link #IDLE_TAKE_INTERVAL} for a job queued on this slot, then takes a
     * backlog job (already started) if there is one.
     *
     * @return the entry, or null when nothing waits or the slot must stop or resync first
     */
    private QueueEntry idleTake() {
        // A blocking move is served the moment a job is queued on this slot (started just after).
        QueueEntry queued = recovery.call(() -> fleet.fetch(pid, IDLE_TAKE_INTERVAL), () -> stopRequested);
        if (queued != null || stopRequested || resyncRequested) {
            return queued;
        }
        // Nothing queued on this slot for a while: a backlog job nobody offered it, if any.
        return nextOf(recovery.call(() -> fleet.take(pid), () -> stopRequested));
    }

    /**
     * An entry that broke the slot's own code is tried once more (the resync finds it in the
     * in-flight list); the second time it goes to the dead-letter list, so one bad entry can never
     * loop a slot forever.
     *
     * @return the next entry to run, or null
     */
    private QueueEntry giveUpOnRepeatedError(QueueEntry entry, Throwable error) {
        if (entry == null) {
            return null;
        }
        if (!entry.equals(brokenEntry)) {
            brokenEntry = entry;
            return null;
        }
        brokenEntry = null;
        try {
            return dropUnreadable(entry, "the worker failed twice on this entry: " + error);
        } catch (RuntimeException e) {
            log.error("worker {} ({}): cannot drop a broken entry: {}", pid, name, e.toString());
            return null;
        }
    }

    /** @return " N ms after the process started", or "" when the OS does not say */
    private static String sinceStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> " " + Duration.between(t, Instant.now()).toMillis() + " ms after the process started")
                .orElse("");
    }

    /** Registers under a pid; returns a backlog job the registration took, or null. */
    private QueueEntry register(long newPid) {
        pid = newPid;
        name = config.exactName() != null ? config.exactName() : config.namePrefix() + "-" + newPid;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("kind", "Threaded");
        fields.put("host", host);
        fields.put("ospid", Long.toString(ProcessHandle.current().pid()));
        fields.put("types", "," + String.join(",", JobRegistry.names()) + ",");
        // Reapers judge this slot by its own lease, whatever lease they were configured with.
        fields.put("lease", Long.toString(config.lease().toMillis()));
        QueueEntry next = recovery.call(() -> fleet.register(newPid, fields), () -> stopRequested);
        registered = true;
        deregistered = false;
        log.info("worker {} ({}) registered in fleet '{}'{}{}", pid, name, fleet.keys().fleet(), sinceStart(),
                next != null ? "; took a job from the backlog" : "");
        onRegistered.accept(this);
        return next;
    }

    /**
     * Checks, after a Redis outage or when the heartbeat saw something odd, that the slot is still
     * what the fleet thinks, and finds jobs left in its in-flight list without a runner (a fetch
     * or finish whose reply was lost).
     *
     * @param next the entry the slot was about to run, or null
     * @return the entry to run next, or null to fetch
     */
    private QueueEntry resync(QueueEntry next) {
        WorkerState state = recovery.call(() -> fleet.workerState(pid), () -> stopRequested).orElse(null);
        if (state == null) {
            log.warn("worker {} ({}) is no longer registered (Redis lost its data); registering again under the same pid", pid, name);
            return register(pid);
        }
        switch (state) {
            case CLOSING, CLOSED -> {
                log.info("worker {} ({}) was closed by its manager; stopping", pid, name);
                closedByFleet = true;
                stopRequested = true;
                return next;
            }
            case DEAD -> {
                if (config.parentPid() != null && config.slots() == 1) {
                    // A spawned worker belongs to its manager's list under this pid: rather than
                    // re-join under one the manager does not know, exit so it starts a replacement.
                    log.warn("worker {} ({}) was declared dead (missed heartbeats) and its jobs moved on; exiting with status {}"
                            + " so the manager that spawned it starts a fresh worker", pid, name, EXIT_REAPED);
                    System.out.flush();
                    Runtime.getRuntime().halt(EXIT_REAPED);
                }
                log.warn("worker {} ({}) was declared dead (missed heartbeats) and its jobs moved on; joining again under a new pid", pid, name);
                return register(recovery.call(fleet::newPid, () -> stopRequested));
            }
            default -> {
                List<QueueEntry> inFlight = recovery.call(() -> fleet.inFlight(pid), () -> stopRequested);
                if (next != null && inFlight.contains(next)) {
                    return next;
                }
                if (!inFlight.isEmpty()) {
                    log.info("worker {} ({}) resumes {} job(s) found in its in-flight list", pid, name, inFlight.size());
                    return inFlight.get(0);
                }
                return null;
            }
        }
    }

    /**
     * Runs one in-flight entry to its end.
     *
     * @return the next entry already moved into in-flight (from the backlog), or null
     */
    private QueueEntry process(QueueEntry entry) {
        JobPayload payload;
        try {
            payload = JobPayload.parse(entry.text());
        } catch (IllegalArgumentException e) {
            return dropUnreadable(entry, e.getMessage());
        }
        Fleet.Start start = this.started != null && this.started.entry() == entry ? this.started.start() : null;
        this.started = null;
        try {
            if (start == null) {
                start = recovery.call(() -> fleet.start(pid, entry, payload.id(),
                        Fleet.deadLetterEntry("job " + payload.id() + " has no job hash (never placed, or expired)", entry)));
            }
        } catch (Recovery.GaveUp e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("job {} cannot be started on worker {}: {}", payload.id(), pid, e.toString());
            return finish(entry, Outcome.failure(payload.id(), pid, Reason.BAD_PAYLOAD.name(),
                    "job " + payload.id() + " cannot be started on worker " + pid + ": " + e.getMessage(), 0), payload.manager());
        }
        if (!start.runs()) {
            log.info("job {} skipped on worker {}: {}", payload.id(), pid, switch (start.code()) {
                case NO_JOB -> "it has no job hash (dead-lettered)";
                case POISON -> "it is poison (over its delivery limit; dead-lettered)";
                default -> "it was cancelled or already finished";
            });
            return finish(entry, null, null);
        }
        long t0 = System.nanoTime();
        runningEntry = entry;
        runningPayload = payload;
        observer.started(payload);
        Outcome outcome;
        try {
            outcome = execute(payload, (int) start.deliveries());
        } finally {
            runningEntry = null;
            runningPayload = null;
        }
        if (OutOfMemoryError.class.getName().equals(outcome.errorClass())) {
            // The runner caught it, but the heap is what the next job would run in: end the process.
            FatalExit.outOfMemory(outcome.message(), "job " + payload.id() + " on worker " + pid);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        observer.ended(payload, outcome, java.time.Duration.ofMillis(ms));
        if (outcome.ok()) {
            log.info("job {} done on worker {} in {} ms ({})", payload.id(), pid, ms, payload.describe());
        } else {
            log.info("job {} failed on worker {} in {} ms: {} {}", payload.id(), pid, ms, outcome.reason(),
                    LogText.safe(outcome.errorClass() != null ? outcome.errorClass() + ": " + outcome.message() : outcome.message()));
        }
        return finish(entry, outcome, payload.manager());
    }

    private Outcome execute(JobPayload payload, int attempt) {
        SlotContext ctx = new SlotContext(fleet, recovery, pid, name, payload.id(), attempt);
        long runningPid = pid;
        Future<Outcome> job = jobThread.submit(
                () -> watchdog.run(payload, runningPid, attempt, () -> runner.run(payload, ctx, runningPid, attempt)));
        running = job;
        try {
            while (true) {
                try {
                    return job.get();
                } catch (InterruptedException e) {
                    // The slot thread is only interrupted by mistake; the job decides when it ends.
                    Thread.interrupted();
                }
            }
        } catch (ExecutionException e) {
            if (FatalExit.isFatal(e.getCause())) {
                FatalExit.outOfMemory(String.valueOf(e.getCause().getMessage()), "job " + payload.id() + " on worker " + runningPid);
            }
            return Outcome.thrown(payload.id(), runningPid, e.getCause(), attempt);
        } finally {
            running = null;
        }
    }

    /**
     * Records the JOB_TIMEOUT of a job that ignored its interrupt, when it is this slot's job.
     *
     * @param stuck the job
     * @return true when it was this slot's job and its outcome was recorded
     */
    boolean failStuck(JobWatchdog.Stuck stuck) {
        QueueEntry entry = runningEntry;
        JobPayload payload = runningPayload;
        if (entry == null || payload == null || !payload.id().equals(stuck.payload().id())) {
            return false;
        }
        return fleet.finish(pid, entry, stuck.outcome(), payload.manager(), null).accepted();
    }

    /** Sends an entry that is not a job to the dead-letter list; fails the job when an id can be read. */
    private QueueEntry dropUnreadable(QueueEntry entry, String reason) {
        String id = null;
        String manager = null;
        try {
            JsonNode node = Json.MAPPER.readTree(entry.bytes());
            if (node != null && node.isObject()) {
                id = node.path("id").isTextual() ? node.path("id").textValue() : null;
                manager = node.path("manager").isTextual() ? node.path("manager").textValue() : null;
            }
        } catch (Exception e) {
            // not JSON at all: no id to fail
        }
        // Ids that could forge a log line or a key are not used: the entry is only dead-lettered.
        String jobId = JobPayload.isValidId(id) ? id : null;
        String placedBy = JobPayload.isValidId(manager) ? manager : null;
        log.warn("worker {} sent an unreadable entry ({} bytes) to the dead-letter list{}: {}", pid, entry.size(),
                jobId != null ? " and failed job " + jobId : "", LogText.safe(reason));
        Outcome failed = jobId == null ? null : Outcome.failure(jobId, pid, Reason.BAD_PAYLOAD.name(),
                "job " + jobId + " cannot be read by worker " + pid + ": " + reason
                        + "; it went to the dead-letter list — place it again with a manager of the same protocol version", 0);
        String dead = Fleet.deadLetterEntry(reason, entry);
        try {
            Fleet.Finish f = recovery.call(() -> fleet.finish(pid, entry, failed, placedBy, dead));
            return nextOf(f.next());
        } catch (RuntimeException e) {
            if (Recovery.isConnectionError(e)) {
                throw e;
            }
            // e.g. a job hash of the wrong type under that id: drop the entry without an outcome.
            return dropBroken(entry, dead);
        }
    }

    /**
     * Drops an entry whose finish failed on bad data. The failed script may already have taken the
     * entry off the in-flight list (Redis does not roll a script back), so look before finishing.
     */
    private QueueEntry dropBroken(QueueEntry entry, String deadEntry) {
        if (recovery.call(() -> fleet.inFlight(pid)).contains(entry)) {
            return nextOf(recovery.call(() -> fleet.finish(pid, entry, null, null, deadEntry)).next());
        }
        recovery.call(() -> {
            fleet.deadLetter(deadEntry);
            return null;
        });
        return null;
    }

    /** Finishes an entry, falling back to dropping it into the dead-letter list when the outcome cannot be stored. */
    private QueueEntry finish(QueueEntry entry, Outcome outcome, String manager) {
        try {
            Fleet.Finish f = recovery.call(() -> fleet.finish(pid, entry, outcome, manager, null));
            if (!f.accepted()) {
                log.warn("job {} finished on worker {} but was no longer in its in-flight list (handed to another worker);"
                        + " its outcome here is dropped", outcome == null ? "?" : outcome.jobId(), pid);
            }
            return nextOf(f.next());
        } catch (RuntimeException e) {
            if (Recovery.isConnectionError(e)) {
                throw e;
            }
            log.warn("the outcome of job {} cannot be stored: {}; the entry goes to the dead-letter list",
                    outcome == null ? "?" : outcome.jobId(), e.toString());
            return dropBroken(entry, Fleet.deadLetterEntry("outcome cannot be stored: " + e.getMessage(), entry));
        }
    }

    /**
     * Remembers how a take or finish already started the next entry, so {@link #process} does not
     * start it again.
     *
     * @return the next entry, or null
     */
    private QueueEntry nextOf(Fleet.Taken next) {
        started = next != null && next.start() != null ? new StartedEntry(next.entry(), next.start()) : null;
        holding = started != null;
        return next == null ? null : next.entry();
    }

    /** An entry in the in-flight list that a finish started (its delivery counted). */
    private record StartedEntry(QueueEntry entry, Fleet.Start start) {}

    private static void pauseAfterError() {
        try {
            Thread.sleep(Recovery.FIRST_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
