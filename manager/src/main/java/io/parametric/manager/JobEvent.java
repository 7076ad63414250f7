package io.parametric.manager;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a job anywhere in the fleet, whichever manager placed it; see
 * {@link ProcessManager#onEvent}.
 *
 * @param kind what happened
 * @param jobId the job
 * @param pid the worker it happened on, null when none (placed on the backlog, failed while waiting)
 * @param type the registered job type, else the lambda's implementing class or the record class; null when unknown
 * @param at when, by Redis's clock
 * @param elapsed for STARTED how long the job waited, for COMPLETED and FAILED how long it ran; else null
 */
public record JobEvent(Kind kind, String jobId, Long pid, String type, Instant at, Duration elapsed) {

    /** The kinds of job events. */
    public enum Kind {
        /** Placed on a worker, the backlog or the delayed set. */
        PLACED,
        /** A worker started it (each delivery). */
        STARTED,
        /** Its code reported progress. */
        PROGRESS,
        /** It returned. */
        COMPLETED,
        /** It failed (thrown, timed out, cancelled, lost, poison); no retry is left. */
        FAILED,
        /** It failed and will run again after a backoff. */
        RETRIED,
        /** It went to the dead-letter list (poison). */
        DEAD
    }
}
