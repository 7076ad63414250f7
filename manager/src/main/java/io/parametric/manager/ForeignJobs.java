package io.parametric.manager;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows jobs re-attached with {@code job(id)} that another manager placed and that have not
 * finished: only the placing manager's completion list hears of their outcome, so these — and
 * only these — are checked in the job hash every half second until it has an outcome.
 */
final class ForeignJobs {

    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pp-foreign-jobs");
        t.setDaemon(true);
        return t;
    });

    private ForeignJobs() {}

    static void watch(Fleet fleet, JobFuture<Object> future) {
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        task.set(CHECKS.scheduleWithFixedDelay(() -> {
            if (future.isDone()) {
                task.get().cancel(false);
                return;
            }
            try {
                Map<String, String> info = fleet.jobInfo(future.jobId());
                String outcome = info.get("outcome");
                if (outcome != null) {
                    future.completeWith(Json.read(outcome, Outcome.class));
                } else if (info.isEmpty()) {
                    future.completeExceptionally(new io.parametric.shared.ProcessError(
                            io.parametric.shared.ProcessError.Reason.ILLEGAL_STATE,
                            "job " + future.jobId() + " disappeared from the fleet (its record expired)",
                            null, future.jobId(), null, null, null));
                }
            } catch (RuntimeException e) {
                // Redis away: try again on the next check.
            }
        }, 500, 500, TimeUnit.MILLISECONDS));
        future.whenComplete((r, e) -> {
            ScheduledFuture<?> t = task.get();
            if (t != null) {
                t.cancel(false);
            }
        });
    }
}
