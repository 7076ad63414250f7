package io.parametric.manager;

import io.parametric.shared.protocol.Outcome;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one JVM-wide piece of the manager: routes each outcome to the future waiting for its job,
 * whichever manager of this JVM placed it and whichever manager's completion list (or in-JVM
 * backend) it arrived on — a job placed on a pushed worker reports to the worker's original
 * manager. It also keeps the highest pid handed to a worker in this JVM, so the fleet
 * {@code createWorkers} makes starts above it and a pushed worker never collides.
 *
 * <p>A future with stages chained to it completes on a bounded pool ({@value #THREADS}
 * threads), never on a completion listener or a worker thread, so a dependent stage that blocks
 * stalls neither; one that only threads wait for ({@code get}, {@code join}) completes where its
 * outcome arrived, which saves a thread hand-off per job.
 */
final class CompletionRouter {

    private static final int THREADS = 16;
    private static final CompletionRouter JVM = new CompletionRouter();

    private final ConcurrentMap<String, JobFuture<?>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong highestPid = new AtomicLong();
    private final ExecutorService completer;

    CompletionRouter() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "pp-complete");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.completer = pool;
    }

    /** @return the router of this JVM */
    static CompletionRouter jvm() {
        return JVM;
    }

    /** Routes the outcome of a job to this future until it completes. */
    void route(JobFuture<?> future) {
        waiting.put(future.jobId(), future);
        future.onDone(() -> waiting.remove(future.jobId(), future));
    }

    /** Stops routing to a future whose job was never placed. */
    void unroute(JobFuture<?> future) {
        waiting.remove(future.jobId(), future);
    }

    /**
     * Completes the future of a job, if one waits; a duplicate outcome (at-least-once delivery)
     * or one for a job placed elsewhere is ignored.
     *
     * @param outcome the outcome
     */
    void deliver(Outcome outcome) {
        JobFuture<?> future = waiting.remove(outcome.jobId());
        if (future == null) {
            return;
        }
        if (future.completesQuietly()) {
            // Nothing chained to it: completing it here only wakes its waiters (one hand-off fewer).
            future.completeWith(outcome);
        } else {
            completer.execute(() -> future.completeWith(outcome));
        }
    }

    /** @return the future waiting for a job in this JVM, or null */
    JobFuture<?> find(String jobId) {
        return waiting.get(jobId);
    }

    /** Records pids handed to workers. */
    void handedOut(long pid) {
        highestPid.accumulateAndGet(pid, Math::max);
    }

    /** @return the highest pid handed to a worker in this JVM */
    long highestPid() {
        return highestPid.get();
    }
}
