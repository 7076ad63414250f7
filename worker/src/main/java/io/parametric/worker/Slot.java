package io.parametric.worker;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.LogText;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.ScriptCode;
import io.parametric.shared.protocol.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a worker process: its own pid, queue and thread. It registers and takes, then
 * loops: run the job it took on its job thread and finish it — which also takes the next one, so
 * a busy worker spends one round trip per job. Idle, it waits for a wake-up on its channel (a job
 * was queued on it) or a few seconds, then takes: its own list first, else the fleet backlog.
 * Nothing that happens to one job, and no Redis outage, ends the loop; only a stop request does.
 */
final class Slot implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Slot.class);

    /** Exit status of a spawned one-slot worker that finds it was reaped: its manager replaces it. */
    static final int EXIT_REAPED = 75;

    /**
     * How often at most an idle slot takes because the heartbeat saw jobs in the fleet backlog
     * (jobs it may not be able to run: it takes again only after this long).
     */
    static final Duration IDLE_TAKE_INTERVAL = Duration.ofSeconds(10);

    /**
     * How long an idle slot waits for a wake-up at most before it takes anyway: a last resort, as
     * the heartbeat wakes an idle slot whose jobs no message announced ({@link #nudge}).
     */
    static final Duration IDLE_WAIT_LIMIT = Duration.ofSeconds(60);

    /** How many jobs a slot holds at most while its jobs are short; one while they are not. */
    static final int SHORT_JOB_BATCH = 16;

    /** A job shorter than this is short: its outcome waits for the next ones, stored in one round trip. */
    static final Duration SHORT_JOB = Duration.ofMillis(2);

    /** How many started job ids a slot remembers, to drop a hand-over whose job a take already gave it. */
    private static final int RECENTLY_STARTED = 256;

    private final Fleet fleet;
    private final JobRunner runner;
    private final Recovery recovery;
    private final WorkerConfig config;
    private final String host;
    private final Consumer<Slot> onRegistered;
    private final JobWatchdog watchdog;
    private final JobObserver observer;

    private volatile long pid;
    private volatile String name;
    private volatile boolean registered;
    private volatile boolean deregistered;
    private volatile boolean stopRequested;
    private volatile boolean resyncRequested;
    private volatile boolean closedByFleet;
    /** True while a job runs (on the slot's own thread: no hand-off to another thread per job). */
    private volatile boolean runningJob;
    /** Wake-ups from the slot's channel ({@code j}: a job waits); see {@link WorkerSignals}. */
    private final Semaphore wakeups = new Semaphore(0);
    /** A job its placement handed to this idle slot ({@code J}), not run yet; see {@link #handOver}. */
    private final AtomicReference<Fleet.TakenJob> handed = new AtomicReference<>();
    /** The ids of the last jobs this slot started, oldest first (slot thread only): a hand-over of one of them is old news. */
    private final Set<String> started = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENTLY_STARTED;
        }
    });
    /** The jobs of the slot's in-flight list as the last take or finish returned them (slot thread only). */
    private Fleet.Taken held;
    /** How many of {@link #held} the slot has run since (slot thread only). */
    private int ran;
    /** Outcomes of jobs run and not yet stored: stored together, with the next take (slot thread only). */
    private final List<Fleet.Ran> unstored = new ArrayList<>();
    /** True when the last job ran shorter than {@link #SHORT_JOB}: the slot then takes several at once. */
    private boolean shortJobs;
    /** True while the slot holds a job a take or finish started, until it has run it. */
    private volatile boolean holding;
    /** True while a take or finish is under way: its reply may bring the slot a started job. */
    private volatile boolean taking;
    /** True while the slot waits, idle, for a wake-up. */
    private volatile boolean waitingIdle;
    /** When the slot last took, alone or with a finish ({@link System#nanoTime()}). */
    private volatile long lastTake = System.nanoTime();
    /** The id of the last job that broke the slot's own code (slot thread only). */
    private String brokenJobId;
    private volatile String runningJobId;

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
        return runningJob || holding || taking;
    }

    /** Stops taking jobs; the running job finishes. */
    void requestStop() {
        stopRequested = true;
        wake();
    }

    /** Asks the slot to check its registration at its next safe point (between jobs). */
    void requestResync() {
        resyncRequested = true;
        wake();
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

    /** Wakes the slot when it is idle: a job was queued on it (or a message may have been lost). */
    void wake() {
        wakeups.release();
    }

    /**
     * Told by the heartbeat where jobs wait: an idle slot takes at once when its own lists hold
     * jobs (their wake-up or hand-over was lost), and when the fleet backlog does and its last
     * take was {@link #IDLE_TAKE_INTERVAL} ago or more.
     *
     * @param ownQueued the slot's pending or in-flight list holds ids
     * @param backlog the fleet backlog holds ids
     */
    void nudge(boolean ownQueued, boolean backlog) {
        if (waitingIdle && (ownQueued || backlog && System.nanoTime() - lastTake >= IDLE_TAKE_INTERVAL.toNanos())) {
            wake();
        }
    }

    /**
     * A job its placement handed to this slot while it was idle: the placement put the id into the
     * slot's in-flight list and counted its delivery, so the slot runs it without a take. When a
     * take or finish gives the slot the same job first (it returns the whole in-flight list), the
     * slot has started it by the time it looks at the hand-over and drops it.
     *
     * @param job the job, its entry as the message carried it (checked like a taken one)
     */
    void handOver(Fleet.TakenJob job) {
        handed.set(job);
        wakeups.release();
    }

    @Override
    public void run() {
        try {
            register(recovery.call(fleet::newPid, () -> stopRequested));
            hold(take());
        } catch (Recovery.GaveUp e) {
            return;
        }
        long seenOutages = recovery.outages();
        while (!stopRequested || heldJob() != null) {
            try {
                if (resyncRequested || recovery.outages() != seenOutages) {
                    resyncRequested = false;
                    seenOutages = recovery.outages();
                    hold(resync());
                    if (stopRequested && heldJob() == null) {
                        break;
                    }
                }
                Fleet.TakenJob job = heldJob();
                if (job == null) {
                    // A take that stopped at its bound of dropped ids (tombstones, bad entries) said
                    // 'more': take again at once rather than wait.
                    hold(held != null && held.more() && !stopRequested ? take() : idleTake());
                    continue;
                }
                // A job in hand was started (its delivery counted): it runs to its end, even when stopping.
                process(job);
            } catch (Recovery.GaveUp e) {
                break;
            } catch (Throwable t) {
                if (FatalExit.isFatal(t)) {
                    FatalExit.outOfMemory(String.valueOf(t.getMessage()), "worker " + pid);
                }
                // Nothing else ends a slot: log, breathe, and go on with the next job.
                log.error("worker {} ({}): unexpected error, going on: {}", pid, name, t.toString(), t);
                giveUpOnRepeatedError(heldJob(), t);
                pauseAfterError();
            } finally {
                holding = heldJob() != null;
            }
        }
        if (closedByFleet) {
            deregister("closed by its manager", () -> false);
        }
    }

    /** @return the next job the slot holds and has not run, or null */
    private Fleet.TakenJob heldJob() {
        return held == null || ran >= held.jobs().size() ? null : held.jobs().get(ran);
    }

    /** Holds what a take or finish returned: every job in the slot's in-flight list, none run yet. */
    private void hold(Fleet.Taken taken) {
        held = taken;
        ran = 0;
        holding = heldJob() != null;
    }

    /** @return how many jobs the slot holds at most after its next take: none once it is stopping */
    private int batch() {
        return stopRequested ? 0 : shortJobs ? SHORT_JOB_BATCH : 1;
    }

    /**
     * Stores the outcomes not stored yet and takes the next jobs, in one round trip; the jobs the
     * slot held and did not run come back with the new ones.
     */
    private void flush() {
        List<Fleet.Ran> outcomes = List.copyOf(unstored);
        Fleet.Finish f;
        taking = true;
        try {
            f = recovery.call(() -> fleet.finish(pid, outcomes, batch()));
            lastTake = System.nanoTime();
            holding = !f.next().jobs().isEmpty();
        } finally {
            taking = false;
        }
        unstored.clear();
        for (int i = 0; i < outcomes.size(); i++) {
            if (f.codes().get(i) == ScriptCode.STALE) {
                log.warn("job {} finished on worker {} but was no longer in its in-flight list (handed to another worker);"
                        + " its outcome here is dropped", outcomes.get(i).outcome().jobId(), pid);
            }
        }
        hold(f.next());
    }

    /**
     * Counts a job as run: its outcome waits to be stored with the next ones while the slot holds
     * more and the job was short; otherwise everything is stored now and the next jobs taken.
     */
    private void ran(Fleet.Ran outcome, boolean wasShort) {
        unstored.add(outcome);
        ran++;
        shortJobs = wasShort;
        if (!wasShort || stopRequested || heldJob() == null) {
            flush();
        }
    }

    /** Takes the slot's next job (or finds the one it holds). */
    private Fleet.Taken take() {
        Fleet.Taken t;
        taking = true;
        try {
            t = recovery.call(() -> fleet.take(pid, Math.max(1, batch())), () -> stopRequested);
            lastTake = System.nanoTime();
            holding = !t.jobs().isEmpty();
        } finally {
            taking = false;
        }
        if (t.gone()) {
            resyncRequested = true;
        }
        return t;
    }

    /**
     * Waits, idle, up to {@link #IDLE_WAIT_LIMIT} for a wake-up (a job queued on this slot, or the
     * heartbeat's {@link #nudge}), then takes: its own list first, else the fleet backlog.
     *
     * @return what the take found, or null when the slot must stop or resync first
     */
    private Fleet.Taken idleTake() {
        waitingIdle = true;
        try {
            wakeups.tryAcquire(IDLE_WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingIdle = false;
        }
        wakeups.drainPermits();
        // Dropped when stopping or resyncing too: it waits in the in-flight list (handed back or found again).
        Fleet.TakenJob job = handed.getAndSet(null);
        if (stopRequested || resyncRequested) {
            return null;
        }
        if (job != null && !started.contains(job.id())) {
            holding = true;
            return new Fleet.Taken(false, false, List.of(job));
        }
        return take();
    }

    /**
     * A job that broke the slot's own code is tried once more (the resync finds it in the
     * in-flight list); the second time it is rejected (dead-lettered, failed BAD_PAYLOAD), so one
     * bad entry can never loop a slot forever.
     *
     */
    private void giveUpOnRepeatedError(Fleet.TakenJob job, Throwable error) {
        if (job == null || !job.id().equals(brokenJobId)) {
            brokenJobId = job == null ? null : job.id();
            resyncRequested = true;
            return;
        }
        brokenJobId = null;
        try {
            reject(job, "the worker failed twice on this entry: " + error);
        } catch (RuntimeException e) {
            log.error("worker {} ({}): cannot reject a broken entry: {}", pid, name, e.toString());
            resyncRequested = true;
        }
    }

    /** @return " N ms after the process started", or "" when the OS does not say */
    private static String sinceStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> " " + Duration.between(t, Instant.now()).toMillis() + " ms after the process started")
                .orElse("");
    }

    /** Registers under a pid. */
    private void register(long newPid) {
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
        // It runs a job handed to it in its wake-up (J): placement may start its first job without a take.
        fields.put("handover", "1");
        recovery.call(() -> {
            fleet.register(newPid, fields);
            return null;
        }, () -> stopRequested);
        registered = true;
        deregistered = false;
        log.info("worker {} ({}) registered in fleet '{}'{}", pid, name, fleet.keys().fleet(), sinceStart());
        onRegistered.accept(this);
    }

    /**
     * Checks, after a Redis outage or when the heartbeat or a signal saw something odd, that the
     * slot is still what the fleet thinks, and finds the jobs left in its in-flight list.
     *
     * @return what the slot holds now
     */
    private Fleet.Taken resync() {
        WorkerState state = recovery.call(() -> fleet.workerState(pid), () -> stopRequested).orElse(null);
        if (state == null) {
            log.warn("worker {} ({}) is no longer registered (Redis lost its data); registering again under the same pid", pid, name);
            register(pid);
            return take();
        }
        switch (state) {
            case CLOSING, CLOSED -> {
                log.info("worker {} ({}) was closed by its manager; stopping", pid, name);
                closedByFleet = true;
                stopRequested = true;
                return held;
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
                register(recovery.call(fleet::newPid, () -> stopRequested));
                return take();
            }
            default -> {
                // Outcomes not stored yet are stored now; the jobs still in flight come back.
                flush();
                if (!held.jobs().isEmpty()) {
                    log.info("worker {} ({}) resumes {} job(s) found in its in-flight list", pid, name, held.jobs().size());
                }
                return held;
            }
        }
    }

    /** Runs one held job to its end; its outcome is stored with the next take ({@link #ran}). */
    private void process(Fleet.TakenJob job) {
        started.add(job.id());
        if (job.entry().length == 0) {
            reject(job, "its entry vanished from the fleet while it was in flight, or was rewritten past the size limit"
                    + " (changed in Redis)");
            return;
        }
        JobPayload payload;
        try {
            payload = recovery.call(() -> fleet.decode(job));
        } catch (IllegalArgumentException e) {
            reject(job, e.getMessage());
            return;
        }
        long t0 = System.nanoTime();
        runningJobId = job.id();
        observer.started(payload);
        Outcome outcome;
        try {
            outcome = execute(payload, (int) job.attempt());
        } finally {
            runningJobId = null;
        }
        if (OutOfMemoryError.class.getName().equals(outcome.errorClass())) {
            // The runner caught it, but the heap is what the next job would run in: end the process.
            FatalExit.outOfMemory(outcome.message(), "job " + payload.id() + " on worker " + pid);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        observer.ended(payload, outcome, took);
        if (outcome.ok()) {
            // describe() builds a string per job: only when the line is written.
            if (log.isDebugEnabled()) {
                log.debug("job {} done on worker {} in {} ms ({})", payload.id(), pid, took.toMillis(), payload.describe());
            }
        } else {
            log.info("job {} failed on worker {} in {} ms: {} {}", payload.id(), pid, took.toMillis(), outcome.reason(),
                    LogText.safe(outcome.errorClass() != null ? outcome.errorClass() + ": " + outcome.message() : outcome.message()));
        }
        ran(new Fleet.Ran(outcome, payload), took.compareTo(SHORT_JOB) < 0);
    }

    /** Sends a job the worker cannot read to the dead-letter list and fails it (stored with the next take). */
    private void reject(Fleet.TakenJob job, String reason) {
        log.warn("worker {} sent job {} ({} bytes) to the dead-letter list and failed it: {}", pid, LogText.safe(job.id()),
                job.entry().length, LogText.safe(reason));
        ran(new Fleet.Ran(recovery.call(() -> fleet.reject(pid, job, reason)), null), true);
    }

    /**
     * Runs a job on the slot's thread under the watchdog (which interrupts this thread for a
     * timeout or a cancel); an interrupt that arrives as the job ends is cleared before the slot
     * talks to Redis again.
     */
    private Outcome execute(JobPayload payload, int attempt) {
        SlotContext ctx = new SlotContext(fleet, recovery, pid, name, payload.id(), attempt);
        long runningPid = pid;
        runningJob = true;
        try {
            return watchdog.run(payload, runningPid, attempt, () -> runner.run(payload, ctx, runningPid, attempt));
        } catch (Throwable t) {
            if (FatalExit.isFatal(t)) {
                FatalExit.outOfMemory(String.valueOf(t.getMessage()), "job " + payload.id() + " on worker " + runningPid);
            }
            return Outcome.thrown(payload.id(), runningPid, t, attempt);
        } finally {
            runningJob = false;
            Thread.interrupted();
        }
    }

    /**
     * Records the JOB_TIMEOUT of a job that ignored its interrupt, when it is this slot's job.
     *
     * @param stuck the job
     * @return true when it was this slot's job and its outcome was recorded
     */
    boolean failStuck(JobWatchdog.Stuck stuck) {
        String jobId = runningJobId;
        if (jobId == null || !jobId.equals(stuck.payload().id())) {
            return false;
        }
        return fleet.finish(pid, List.of(new Fleet.Ran(stuck.outcome(), stuck.payload())), 0).codes().get(0)
                != ScriptCode.STALE;
    }

    private static void pauseAfterError() {
        try {
            Thread.sleep(Recovery.FIRST_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
