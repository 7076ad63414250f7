package io.parametric.manager;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Job futures of one manager: makes them (with where to ask for progress and how to cancel),
 * re-attaches to a job by id, and cancels. A job is looked up in the manager's own
 * {@link JobTracker} first, then among the jobs other managers of this JVM wait for, then in the
 * fleet.
 */
final class JobHandles {

    private final JobTracker tracker;
    private final Backends backends;
    private final Runnable earlierSubmits;

    /**
     * @param tracker the manager's jobs
     * @param backends where jobs are cancelled and looked up
     * @param earlierSubmits waits until the submits queued before it are placed, so a cancel finds its job in the fleet
     */
    JobHandles(JobTracker tracker, Backends backends, Runnable earlierSubmits) {
        this.tracker = tracker;
        this.backends = backends;
        this.earlierSubmits = earlierSubmits;
    }

    /** @return a future for a job about to be placed (not yet armed) */
    <R> JobFuture<R> newFuture(String jobId, Type returnType) {
        return new JobFuture<>(jobId, returnType, this::progress, this::cancelInFleet);
    }

    /**
     * Re-attaches to a job by id.
     *
     * @throws ProcessError ILLEGAL_STATE when the fleet does not know the job
     */
    @SuppressWarnings("unchecked")
    JobFuture<Object> job(String jobId) {
        JobFuture<?> known = tracker.find(jobId);
        if (known != null && known.returnType() == Object.class) {
            return (JobFuture<Object>) known;
        }
        JobFuture<Object> f = newFuture(jobId, Object.class);
        if (known != null) {
            known.whenComplete((r, e) -> mirror(known, f));
            return f;
        }
        Binding redis = backends.redisBinding();
        if (redis == null) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "no job " + jobId + " in fleet '" + backends.fleetName() + "'; it was never placed here or its record expired "
                            + "(kept for 24h after its outcome)", null, jobId, null, null, null);
        }
        // Armed before asking, so an outcome that arrives between the two is never missed; tracked,
        // so a job that vanishes from the fleet fails the future instead of leaving it waiting.
        tracker.arm(List.of(f));
        try {
            redis.shards().watch(jobId, backends.managerId()).ifPresent(f::completeWith);
            f.placed();
        } catch (ProcessError e) {
            tracker.disarm(f);
            throw e;
        }
        return f;
    }

    private static void mirror(JobFuture<?> from, JobFuture<Object> to) {
        try {
            to.complete(from.join());
        } catch (CancellationException e) {
            to.cancel(false);
        } catch (CompletionException e) {
            to.completeExceptionally(e.getCause());
        }
    }

    /** Cancels a job in the fleet and completes its future here as cancelled. */
    void cancel(String jobId) {
        cancelInFleet(jobId);
        JobFuture<?> f = backends.router().find(jobId);
        if (f != null) {
            f.cancelLocally();
        }
    }

    private void cancelInFleet(String jobId) {
        earlierSubmits.run();
        Binding b = bindingOf(jobId);
        if (b != null) {
            b.backend().cancel(jobId);
        }
    }

    private ProcessBackend.Progress progress(String jobId) {
        Binding b = bindingOf(jobId);
        return b == null ? new ProcessBackend.Progress(null, 0) : b.backend().progress(jobId);
    }

    private Binding bindingOf(String jobId) {
        JobFuture<?> f = tracker.find(jobId);
        return f != null && f.binding() != null ? f.binding() : backends.redisBinding();
    }
}
