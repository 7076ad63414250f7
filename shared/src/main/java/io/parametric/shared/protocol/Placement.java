package io.parametric.shared.protocol;

/**
 * One job to place, as {@link Fleet#place} takes it.
 *
 * @param jobId the job id
 * @param payload the job as JSON ({@link JobPayload})
 * @param jobType the registered job type, or "" when the job is not a registered type
 * @param managerId the placing manager's id
 * @param target a pid, {@link #OPEN} or {@link #BACKLOG}
 * @param fallback where an {@link #OPEN} job goes when no worker is open: a pid or {@link #BACKLOG}
 */
public record Placement(
        String jobId, String payload, String jobType, String managerId, String target, String fallback) {

    /** Target: the first open worker. */
    public static final String OPEN = "open";

    /** Target or fallback: the first open worker, else the fleet backlog. */
    public static final String BACKLOG = "backlog";

    /**
     * @param jobId the job id
     * @param payload the job JSON
     * @param jobType registered type or ""
     * @param managerId the placing manager
     * @param pid the worker
     * @return a placement on that worker's pending list
     */
    public static Placement onWorker(String jobId, String payload, String jobType, String managerId, long pid) {
        return new Placement(jobId, payload, jobType, managerId, Long.toString(pid), Long.toString(pid));
    }
}
