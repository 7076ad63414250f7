package io.parametric.manager;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code waitFor} and {@code getReturn}: per pid, the jobs this manager placed there and the
 * return of the last one, or the worker's latest return when this manager placed none there.
 */
final class Waiting {

    private final Membership membership;
    private final JobTracker tracker;
    private final Runnable earlierSubmits;

    /**
     * @param membership the workers
     * @param tracker the jobs this manager placed
     * @param earlierSubmits waits until the submits queued before it are placed (so their pids are known)
     */
    Waiting(Membership membership, JobTracker tracker, Runnable earlierSubmits) {
        this.membership = membership;
        this.tracker = tracker;
        this.earlierSubmits = earlierSubmits;
    }

    /**
     * @param timeout how long to wait at most, or null for no limit
     * @param pids the workers; none for all
     * @return the returns, in argument order
     */
    List<Object> waitFor(Duration timeout, long[] pids) {
        earlierSubmits.run();
        List<Long> targets = targets(pids);
        List<JobTracker.Snapshot> snapshots = targets.stream().map(tracker::snapshot).toList();
        // A pid this manager placed jobs on stays waitable after its worker left the fleet (killed,
        // container stopped): its jobs were re-homed and their outcomes still come here. Only a
        // pid without such jobs needs the worker itself, for its latest return.
        List<Worker<?>> workers = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            workers.add(snapshots.get(i).last() != null ? null : membership.member(targets.get(i)));
        }
        CompletableFuture<?>[] pending = snapshots.stream().flatMap(s -> s.unfinished().stream()).toArray(CompletableFuture[]::new);
        try {
            if (timeout == null) {
                CompletableFuture.allOf(pending).get();
            } else {
                CompletableFuture.allOf(pending).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            List<Long> busy = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                if (snapshots.get(i).unfinished().stream().anyMatch(f -> !f.isDone())) {
                    busy.add(targets.get(i));
                }
            }
            throw new ProcessError(Reason.TIMEOUT,
                    "waitFor gave up after " + timeout + "; workers " + busy + " are still busy with jobs this manager placed "
                            + "— wait longer, or look at them with get(pid).queued()",
                    busy.size() == 1 ? busy.get(0) : null, null, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError(Reason.TIMEOUT, "waitFor was interrupted", e);
        } catch (ExecutionException | CancellationException e) {
            // a failed job: its outcome is read below, per pid
        }
        List<Object> returns = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            JobFuture<?> last = snapshots.get(i).last();
            returns.add(last == null ? workers.get(i).ret() : returnOf(last, targets.get(i)));
        }
        return returns;
    }

    /**
     * @param f a completed future
     * @param pid the worker it was placed on
     * @return its return
     * @throws ProcessError its failure; CANCELLED when it was cancelled
     */
    static Object returnOf(JobFuture<?> f, long pid) {
        try {
            return f.join();
        } catch (CancellationException e) {
            Long where = f.pid();
            throw new ProcessError(Reason.CANCELLED,
                    "job " + f.jobId() + " on worker " + (where != null ? where : pid) + " was cancelled before it finished",
                    where != null ? where : pid, f.jobId(), null, null, null);
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProcessError p) {
                throw p;
            }
            throw e;
        }
    }

    /** @return each worker's latest return as stored; never waits */
    List<Object> latestReturns(long[] pids) {
        List<Object> returns = new ArrayList<>();
        for (long pid : targets(pids)) {
            returns.add(membership.member(pid).ret());
        }
        return returns;
    }

    /** @return a worker's latest return converted, or null */
    <T> T latestReturn(long pid, Class<T> type) {
        Outcome latest = membership.member(pid).latest();
        return latest == null ? null : Outcomes.value(latest, type);
    }

    private List<Long> targets(long[] pids) {
        return pids.length == 0 ? Membership.pidsOf(membership.cached()) : Arrays.stream(pids).boxed().toList();
    }
}
