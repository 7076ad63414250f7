package io.parametric.manager;

import io.parametric.shared.protocol.JobPayload;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to run on a worker, made by {@code ParametricProcesses.newJob}. Immutable: the options
 * return copies, and one job may be placed many times, each placement being its own execution
 * with its own job id.
 *
 * <pre>{@code
 * ProcessJob job = newJob(Example::example, 5, "job #5").withTimeout(Duration.ofSeconds(30)).withRetries(2);
 * procs.distribute(job, job, job);   // three executions
 * }</pre>
 */
public final class ProcessJob {

    /** The longest delay, 365 days: {@code withDelay} clamps longer ones to it. */
    public static final Duration MAX_DELAY = Duration.ofDays(365);

    private final JobPayload payload;
    private final Duration delay;

    /**
     * Wraps a payload template (id and manager unset). Backends and tests use it; applications
     * call {@code ParametricProcesses.newJob}.
     *
     * @param payload the job as it travels, without id and manager
     */
    public ProcessJob(JobPayload payload) {
        this(payload, Duration.ZERO);
    }

    private ProcessJob(JobPayload payload, Duration delay) {
        this.payload = Objects.requireNonNull(payload, "payload");
        this.delay = delay;
    }

    /**
     * @param timeout how long one execution may run before it is interrupted (JOB_TIMEOUT); longer
     *     than 365 days ({@link JobPayload#MAX_TIMEOUT_MS}) counts as 365 days, effectively no
     *     timeout, so {@code Duration.ofMillis(Long.MAX_VALUE)} is fine
     * @return a copy with that timeout
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public ProcessJob withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        long ms = timeout.compareTo(Duration.ofMillis(JobPayload.MAX_TIMEOUT_MS)) > 0 ? JobPayload.MAX_TIMEOUT_MS
                : Math.max(1, timeout.toMillis());
        return new ProcessJob(copy(ms, payload.retries(), payload.pinned()), delay);
    }

    /**
     * @param retries how many times an execution that throws is run again, with exponential backoff
     * @return a copy with that many retries
     * @throws IllegalArgumentException when negative or over {@link JobPayload#MAX_RETRIES}
     */
    public ProcessJob withRetries(int retries) {
        if (retries < 0 || retries > JobPayload.MAX_RETRIES) {
            throw new IllegalArgumentException("retries must be 0 to " + JobPayload.MAX_RETRIES + ", was " + retries);
        }
        return new ProcessJob(copy(payload.timeoutMs(), retries, payload.pinned()), delay);
    }

    /**
     * @param delay how long after placement the job becomes runnable; longer than
     *     {@link #MAX_DELAY} counts as {@code MAX_DELAY}
     * @return a copy with that delay
     * @throws IllegalArgumentException when negative
     */
    public ProcessJob withDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive, was " + delay);
        }
        return new ProcessJob(payload, delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
    }

    /**
     * Idempotent placement: while a job of this key is queued or running anywhere in the fleet,
     * placing the key again joins that job instead of placing a second one — the returned future
     * is that job's (same {@code jobId()}, same outcome). A key is free again once its job has an
     * outcome. {@code distribute(k, k, k)} of one keyed job places it once. Keys belong to the
     * fleet (Redis-backed workers); other workers ignore them.
     *
     * @param key 1 to 128 printable ASCII characters, no space
     * @return a copy with that key
     * @throws IllegalArgumentException when the key is not such a string
     */
    public ProcessJob withKey(String key) {
        if (!JobPayload.isValidId(key)) {
            throw new IllegalArgumentException("a job key is 1 to " + JobPayload.MAX_ID_LENGTH
                    + " printable ASCII characters without spaces, was " + (key == null ? "null" : "'" + key + "'"));
        }
        return new ProcessJob(payload.withKey(key), delay);
    }

    /** @return the job's key ({@link #withKey}), if set */
    public Optional<String> key() {
        return Optional.ofNullable(payload.key());
    }

    /**
     * @return a copy that must run on the worker it is placed on: it is never moved to another
     *     worker and fails with WORKER_LOST if that worker goes
     */
    public ProcessJob pinned() {
        return new ProcessJob(copy(payload.timeoutMs(), payload.retries(), true), delay);
    }

    /** @return the timeout of one execution, if set */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(payload.timeoutMs()).map(Duration::ofMillis);
    }

    /** @return how many times a failed execution is retried */
    public int retries() {
        return payload.retries();
    }

    /** @return the delay before the job becomes runnable (zero when none) */
    public Duration delay() {
        return delay;
    }

    /** @return true when the job never moves off the worker it was placed on */
    public boolean isPinned() {
        return payload.pinned();
    }

    /** @return the registered job type's name, or "" when the job is a lambda or a record */
    public String jobType() {
        return JobPayload.TYPE.equals(payload.form()) ? payload.type() : "";
    }

    /**
     * The payload template, for {@link ProcessBackend} implementations: id and manager are unset
     * ({@link JobPayload#placed} fills them per placement).
     *
     * @return the job as it travels
     */
    public JobPayload payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "ProcessJob[" + payload.describe() + "]";
    }

    private JobPayload copy(Long timeoutMs, int retries, boolean pinned) {
        JobPayload p = payload;
        return new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(), p.className(), p.method(),
                p.descriptor(), p.refKind(), p.fingerprint(), p.captured(), p.args(), p.value(), timeoutMs, retries,
                p.maxDeliveries(), pinned, p.capturing(), p.key());
    }
}
