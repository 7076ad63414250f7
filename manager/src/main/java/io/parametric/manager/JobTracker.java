package io.parametric.manager;

import io.parametric.shared.protocol.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which jobs are still out, so outcomes complete the right futures and {@code waitFor} knows
 * what to wait for. Futures are registered before their jobs are placed, so an outcome that
 * arrives before the placing call returns is never missed.
 */
final class JobTracker {

    /** Every unfinished job placed from this JVM, by id; completion lists deliver here. */
    private static final ConcurrentMap<String, JobFuture<?>> UNFINISHED = new ConcurrentHashMap<>();

    /** Per pid: the jobs this manager placed there that have no outcome yet. */
    private final Map<Long, Set<JobFuture<?>>> outstanding = new HashMap<>();
    /** Per pid: the last job this manager placed there. */
    private final Map<Long, JobFuture<?>> last = new HashMap<>();
    /**
     * The latest finished jobs, so {@code job(id)} finds in-JVM jobs that no Redis remembers.
     * A job moves here from {@link #unfinished} under this tracker's lock, so a lookup always
     * finds a job of this manager in one of the two.
     */
    private final Map<String, JobFuture<?>> recent = new java.util.LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobFuture<?>> eldest) {
            return size() > RECENT;
        }
    };
    private static final int RECENT = 10_000;

    /**
     * Completes the future of a job, if one waits; a duplicate outcome (at-least-once delivery)
     * or one for a job placed elsewhere is ignored.
     *
     * @param outcome the outcome
     */
    static void deliver(Outcome outcome) {
        JobFuture<?> future = UNFINISHED.remove(outcome.jobId());
        if (future != null) {
            // Dependent stages run where a future completes: never on the completion listener or a
            // worker thread, so a callback that blocks (even on waitFor) stalls nothing else.
            COMPLETER.execute(() -> future.completeWith(outcome));
        }
    }

    private static final java.util.concurrent.ExecutorService COMPLETER =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "pp-complete");
                t.setDaemon(true);
                return t;
            });

    static void register(JobFuture<?> future) {
        UNFINISHED.put(future.jobId(), future);
        future.whenComplete((r, e) -> UNFINISHED.remove(future.jobId(), future));
    }

    static void forget(JobFuture<?> future) {
        UNFINISHED.remove(future.jobId(), future);
    }

    /** @return the ids of every job in this JVM still waiting for an outcome */
    static java.util.List<String> unfinishedIds() {
        return java.util.List.copyOf(UNFINISHED.keySet());
    }

    /**
     * @param manager a manager
     * @return the ids of that manager's jobs on Redis-backed workers still waiting for an outcome
     */
    static java.util.List<String> unfinishedRedisJobs(ProcessManager manager) {
        return UNFINISHED.values().stream()
                .filter(f -> f.binding() != null && f.binding().manager() == manager && f.binding().backend().usesRedis())
                .map(JobFuture::jobId)
                .toList();
    }

    static JobFuture<?> find(String jobId) {
        return UNFINISHED.get(jobId);
    }

    /**
     * This manager's jobs whose futures have not completed yet, by id: so closing the manager can
     * end their waits, and {@code job(id)} finds a job whose outcome has been delivered (it left
     * {@link #UNFINISHED}) but whose future is still being completed.
     */
    private final Map<String, JobFuture<?>> unfinished = new HashMap<>();

    /** Remembers every job this manager placed until it is among the {@value #RECENT} latest finished. */
    void track(JobFuture<?> future) {
        synchronized (this) {
            unfinished.put(future.jobId(), future);
        }
        future.whenComplete((r, e) -> {
            synchronized (this) {
                recent.put(future.jobId(), future);
                unfinished.remove(future.jobId(), future);
            }
        });
    }

    /** @return this manager's jobs that have no outcome yet */
    synchronized List<JobFuture<?>> unfinished() {
        return new ArrayList<>(unfinished.values());
    }

    /**
     * @param jobId a job
     * @return the future of a job this manager placed, still running or among the latest
     *     finished, or null
     */
    synchronized JobFuture<?> placedJob(String jobId) {
        JobFuture<?> future = unfinished.get(jobId);
        return future != null ? future : recent.get(jobId);
    }

    /** Records that a job of this manager went to a worker. */
    synchronized void placed(long pid, JobFuture<?> future) {
        last.put(pid, future);
        if (!future.isDone()) {
            outstanding.computeIfAbsent(pid, p -> new LinkedHashSet<>()).add(future);
            future.whenComplete((r, e) -> done(pid, future));
        }
    }

    private synchronized void done(long pid, JobFuture<?> future) {
        Set<JobFuture<?>> set = outstanding.get(pid);
        if (set != null) {
            set.remove(future);
            if (set.isEmpty()) {
                outstanding.remove(pid);
            }
        }
    }

    /**
     * @param pid a worker
     * @return the jobs this manager placed there that have no outcome yet, and the last one placed
     */
    synchronized Snapshot snapshot(long pid) {
        return new Snapshot(new ArrayList<>(outstanding.getOrDefault(pid, Set.of())), last.get(pid));
    }

    /**
     * @param unfinished jobs to wait for
     * @param last the last job placed, or null when none
     */
    record Snapshot(List<JobFuture<?>> unfinished, JobFuture<?> last) {}
}
