package io.parametric.shared;

/**
 * The one exception the library throws about workers and jobs. {@link #reason()} says what kind
 * of failure it is; {@link #pid()} and {@link #jobId()} name the worker and job when known; for
 * {@link Reason#JOB_FAILED} the remote exception's class and stack trace are kept.
 *
 * <pre>{@code
 * try {
 *     procs.waitFor(2);
 * } catch (ProcessError e) {
 *     if (e.reason() == ProcessError.Reason.JOB_FAILED) log.warn(e.remoteStackTrace());
 * }
 * }</pre>
 */
public class ProcessError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the library gave up. */
    public enum Reason {
        /** The job threw; see {@link #errorClass()} and {@link #remoteStackTrace()}. */
        JOB_FAILED,
        /** The job ran past its own timeout and was interrupted. */
        JOB_TIMEOUT,
        /** A wait gave up before the jobs finished. */
        TIMEOUT,
        /** The job was cancelled. */
        CANCELLED,
        /** The worker holding a pinned job died or was closed. */
        WORKER_LOST,
        /** The job was delivered more times than its limit and went to the dead-letter list. */
        POISON,
        /** No worker has the requested job type. */
        UNKNOWN_JOB_TYPE,
        /** No worker has the requested pid or name. */
        NO_SUCH_WORKER,
        /** The worker's allowlist does not admit the job's class. */
        NOT_ALLOWED,
        /** The job, its arguments or its return cannot travel or cannot be read. */
        BAD_PAYLOAD,
        /** Redis does not answer. */
        REDIS_UNAVAILABLE,
        /** The library was used in a way it does not support (for example in a worker). */
        ILLEGAL_STATE,
        /** The fleet's backlog stayed at its limit for longer than a placement waits for room. */
        QUEUE_FULL
    }

    private final Reason reason;
    private final Long pid;
    private final String jobId;
    private final String errorClass;
    private final String remoteStackTrace;

    /**
     * Creates an error without job or worker.
     *
     * @param reason why
     * @param message what failed, the likely cause and the fix
     */
    public ProcessError(Reason reason, String message) {
        this(reason, message, null, null, null, null, null);
    }

    /**
     * Creates an error with a local cause.
     *
     * @param reason why
     * @param message what failed, the likely cause and the fix
     * @param cause the local exception behind it
     */
    public ProcessError(Reason reason, String message, Throwable cause) {
        this(reason, message, null, null, null, null, cause);
    }

    /**
     * Creates an error about one job on one worker.
     *
     * @param reason why
     * @param message what failed, the likely cause and the fix
     * @param pid the worker's pid, or null
     * @param jobId the job's id, or null
     * @param errorClass the remote exception's class (JOB_FAILED), or null
     * @param remoteStackTrace the remote stack trace (JOB_FAILED), or null
     * @param cause a local cause, or null
     */
    public ProcessError(
            Reason reason,
            String message,
            Long pid,
            String jobId,
            String errorClass,
            String remoteStackTrace,
            Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.pid = pid;
        this.jobId = jobId;
        this.errorClass = errorClass;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** @return why the library gave up */
    public Reason reason() {
        return reason;
    }

    /** @return the worker's pid, or null when no single worker is concerned */
    public Long pid() {
        return pid;
    }

    /** @return the job's id, or null when no single job is concerned */
    public String jobId() {
        return jobId;
    }

    /** @return the class of the exception the job threw (JOB_FAILED), else null */
    public String errorClass() {
        return errorClass;
    }

    /** @return the stack trace of the exception the job threw (JOB_FAILED), else null */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
