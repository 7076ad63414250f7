package io.parametric.manager;

import java.time.Duration;
import java.time.Instant;

/**
 * One live worker in a {@link FleetStats} snapshot.
 *
 * @param pid its pid
 * @param name its name
 * @param kind its kind as the worker states it (e.g. {@code Threaded})
 * @param host the host it runs on
 * @param state {@code idle}, {@code busy}, {@code closing} (see docs/protocol.md)
 * @param queued jobs waiting on it, not counting the running one
 * @param runningJobId the job it runs, null when idle
 * @param runningSince when that job started (Redis time), null when idle
 * @param done jobs it ran that returned
 * @param failed jobs it ran that failed
 * @param heartbeatAge how long ago its last heartbeat was, by Redis's clock
 * @param missingClass the latest class a job needed that this worker could not load (its
 *        {@code PP_JOBS} lacks the jar or folder holding it), null when none
 */
public record WorkerStats(long pid, String name, String kind, String host, String state, long queued,
                          String runningJobId, Instant runningSince, long done, long failed, Duration heartbeatAge,
                          String missingClass) {}
