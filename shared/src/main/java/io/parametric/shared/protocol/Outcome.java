package io.parametric.shared.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a job came to: stored (signed) in the job record and the worker record, and pushed to the placing
 * manager's completion list.
 *
 * @param v protocol version
 * @param jobId the job
 * @param pid the worker it ended on (0 when it never reached one)
 * @param ok true for a return, false for a failure
 * @param value the return as JSON (ok)
 * @param reason the {@link io.parametric.shared.ProcessError.Reason} name (failure)
 * @param errorClass the exception class the job threw (JOB_FAILED)
 * @param message what went wrong (failure)
 * @param stackTrace the trimmed remote stack trace (JOB_FAILED)
 * @param attempt which delivery produced it
 */
public record Outcome(
        int v,
        String jobId,
        long pid,
        boolean ok,
        JsonNode value,
        String reason,
        String errorClass,
        String message,
        String stackTrace,
        int attempt) {

    /**
     * @param jobId the job
     * @param pid the worker
     * @param value the return as JSON
     * @param attempt the delivery
     * @return a successful outcome
     */
    public static Outcome success(String jobId, long pid, JsonNode value, int attempt) {
        return new Outcome(JobPayload.VERSION, jobId, pid, true, value, null, null, null, null, attempt);
    }

    /**
     * @param jobId the job
     * @param pid the worker
     * @param reason a {@link io.parametric.shared.ProcessError.Reason} name
     * @param message what went wrong
     * @param attempt the delivery
     * @return a failed outcome without a remote exception
     */
    public static Outcome failure(String jobId, long pid, String reason, String message, int attempt) {
        return new Outcome(JobPayload.VERSION, jobId, pid, false, null, reason, null, message, null, attempt);
    }

    /**
     * @param jobId the job
     * @param pid the worker
     * @param error what the job threw
     * @param attempt the delivery
     * @return a JOB_FAILED outcome with the exception's class, message and trimmed stack trace
     *     (never throws, whatever the exception's own methods do)
     */
    public static Outcome thrown(String jobId, long pid, Throwable error, int attempt) {
        return new Outcome(JobPayload.VERSION, jobId, pid, false, null, "JOB_FAILED",
                error.getClass().getName(), ThrowableText.message(error), ThrowableText.stackTrace(error), attempt);
    }
}
