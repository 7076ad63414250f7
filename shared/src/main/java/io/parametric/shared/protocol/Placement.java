package io.parametric.shared.protocol;

/**
 * One job to place, as {@link Fleet#place} takes it.
 *
 * @param job the job (its id and manager included)
 * @param jobType the registered job type, or "" when the job is not a registered type
 * @param target a pid, {@link #OPEN} or {@link #BACKLOG}
 * @param fallback where an {@link #OPEN} job goes when no worker is open: a pid or {@link #BACKLOG}
 */
public record Placement(JobPayload job, String jobType, String target, String fallback) {

    /** Target: the first open worker. */
    public static final String OPEN = "open";

    /** Target or fallback: the first open worker, else the fleet backlog. */
    public static final String BACKLOG = "backlog";

    /** @return the job id */
    public String jobId() {
        return job.id();
    }

    /**
     * @param job the job
     * @param jobType registered type or ""
     * @param pid the worker
     * @return a placement on that worker's pending list
     */
    public static Placement onWorker(JobPayload job, String jobType, long pid) {
        return new Placement(job, jobType, Long.toString(pid), Long.toString(pid));
    }
}
