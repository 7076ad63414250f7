package io.parametric.worker;

import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces job timeouts ({@code withTimeout}) and delivers cancellations to running jobs. A job
 * past its timeout is interrupted and its outcome becomes JOB_TIMEOUT, whatever it then returns
 * or throws; a job still running a grace period after the interrupt ignores it, and the
 * {@code stuck} handler gets its JOB_TIMEOUT outcome — the worker records it and exits so it is
 * restarted, since a thread that ignores interrupts cannot be stopped any other way.
 *
 * <pre>{@code
 * JobWatchdog watchdog = new JobWatchdog(Duration.ofSeconds(5), stuck -> { record(stuck); Runtime.getRuntime().halt(70); });
 * Outcome o = watchdog.run(payload, pid, attempt, () -> runner.run(payload, ctx, pid, attempt));
 * watchdog.cancel(jobId);   // from the heartbeat thread, when a manager cancelled the running job
 * }</pre>
 */
public final class JobWatchdog implements AutoCloseable {

    /** How long a timed-out job may ignore its interrupt before the worker gives up on it, by default. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(JobWatchdog.class);

    private final Duration grace;
    private final Consumer<Stuck> stuck;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pp-job-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();
    /** Cancellations that arrived before their job began here (it was taken, not yet running). */
    private final Set<String> early = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > EARLY_CANCELS_KEPT;
        }
    }));

    /** How many early cancellations are remembered; older ones are for jobs this worker never ran. */
    private static final int EARLY_CANCELS_KEPT = 1_000;

    /**
     * @param grace how long a timed-out job may ignore its interrupt
     * @param stuck called (on the watchdog's thread) with a job that ignored its interrupt for the grace period
     */
    public JobWatchdog(Duration grace, Consumer<Stuck> stuck) {
        this.grace = grace;
        this.stuck = stuck;
    }

    /**
     * A job that ignored its timeout's interrupt for the grace period.
     *
     * @param payload the job
     * @param thread the thread still running it
     * @param outcome its JOB_TIMEOUT outcome, to record before the worker exits
     */
    public record Stuck(JobPayload payload, Thread thread, Outcome outcome) {}

    /**
     * Runs a job on the calling thread under its timeout, if it has one.
     *
     * @param payload the job ({@link JobPayload#timeoutMs()} may be null: no timeout)
     * @param pid the worker
     * @param attempt the delivery
     * @param job runs the job and never throws (e.g. {@link JobRunner#run})
     * @return the job's outcome, or JOB_TIMEOUT when it ran past its timeout
     */
    public Outcome run(JobPayload payload, long pid, int attempt, Supplier<Outcome> job) {
        Thread thread = Thread.currentThread();
        Long timeoutMs = payload.boundedTimeoutMs();
        boolean[] timedOut = {false};
        ScheduledFuture<?> interrupt = null;
        ScheduledFuture<?> giveUp = null;
        Outcome timeout = null;
        if (timeoutMs != null) {
            timeout = Outcome.failure(payload.id(), pid, Reason.JOB_TIMEOUT.name(),
                    payload.describe() + " (job " + payload.id() + ") ran past its timeout of " + timeoutMs
                            + " ms on worker " + pid + " and was interrupted; make it faster, give it a longer"
                            + " withTimeout, or split it",
                    attempt);
            Outcome timeoutOutcome = timeout;
            interrupt = timer.schedule(() -> {
                synchronized (timedOut) {
                    timedOut[0] = true;
                }
                LOG.warn("job {} ran past its timeout of {} ms: interrupting it", payload.id(), timeoutMs);
                thread.interrupt();
            }, timeoutMs, TimeUnit.MILLISECONDS);
            giveUp = timer.schedule(() -> {
                if (running.get(payload.id()) == thread) {
                    Outcome ignored = Outcome.failure(payload.id(), pid, Reason.JOB_TIMEOUT.name(),
                            timeoutOutcome.message() + "; it ignored the interrupt for " + grace.toMillis()
                                    + " ms, so its worker process was restarted",
                            attempt);
                    LOG.error("job {} ignored its interrupt for {} ms after its timeout; giving up on its thread",
                            payload.id(), grace.toMillis());
                    stuck.accept(new Stuck(payload, thread, ignored));
                }
            }, saturatedAdd(timeoutMs, grace.toMillis()), TimeUnit.MILLISECONDS);
        }
        running.put(payload.id(), thread);
        if (early.remove(payload.id())) {
            LOG.info("job {} was cancelled before it began: interrupting it", payload.id());
            cancelled.put(payload.id(), true);
            thread.interrupt();
        }
        Outcome outcome;
        try {
            outcome = job.get();
        } finally {
            running.remove(payload.id());
            if (cancelled.remove(payload.id()) != null) {
                Thread.interrupted(); // the interrupt was for the job, not for the slot's next fetch
            }
            if (interrupt != null) {
                interrupt.cancel(false);
                giveUp.cancel(false);
            }
        }
        synchronized (timedOut) {
            if (timedOut[0]) {
                Thread.interrupted(); // the interrupt was for the job, not for the slot's next fetch
                return timeout;
            }
        }
        return outcome;
    }

    /** {@code a + b} for non-negative values, {@code Long.MAX_VALUE} instead of an overflow. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Interrupts a running job a manager cancelled; its failure is then stored as CANCELLED.
     *
     * @param jobId the job
     * @return true when that job runs here and was interrupted; false when it does not run yet
     *     (it is interrupted as it begins, should it begin here)
     */
    public boolean cancel(String jobId) {
        Thread t = jobId == null ? null : running.get(jobId);
        if (t == null) {
            if (jobId != null) {
                // Taken (started in Redis) but not yet running here: interrupt it as it begins.
                early.add(jobId);
            }
            return false;
        }
        LOG.info("job {} was cancelled: interrupting it", jobId);
        cancelled.put(jobId, true);
        t.interrupt();
        return true;
    }

    /** @return true when the job runs under this watchdog now */
    boolean isRunning(String jobId) {
        return running.containsKey(jobId);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
