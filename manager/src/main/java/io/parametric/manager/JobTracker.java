package io.parametric.manager;

import io.parametric.manager.internal.WaitedJobs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One manager's jobs: which are still out (so closing the manager ends their waits), which went
 * to which pid (so {@code waitFor} knows what to wait for), and the latest finished (so
 * {@code job(id)} finds in-JVM jobs no Redis remembers). Futures are armed before their jobs are
 * placed, so an outcome that arrives before the placing call returns is never missed. As
 * {@link WaitedJobs} it tells the completion listeners which placed jobs to look up in Redis.
 */
final class JobTracker implements WaitedJobs {

    private static final int RECENT = 10_000;

    private final CompletionRouter router;
    /** Per pid: the jobs this manager placed there that have no outcome yet. */
    private final Map<Long, Set<JobFuture<?>>> outstanding = new HashMap<>();
    /** Per pid: the last job this manager placed there. */
    private final Map<Long, JobFuture<?>> last = new HashMap<>();
    /**
     * This manager's jobs whose futures have not completed yet, by id. A job moves from here to
     * {@link #recent} under this tracker's lock, so a lookup always finds it in one of the two.
     * In order: armed first, then those {@link #next} looked at, each moved to the end.
     */
    private final Map<String, JobFuture<?>> unfinished = new LinkedHashMap<>();
    private final Map<String, JobFuture<?>> recent = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobFuture<?>> eldest) {
            return size() > RECENT;
        }
    };

    JobTracker(CompletionRouter router) {
        this.router = router;
    }

    /** Routes the futures' outcomes here and remembers them, before their jobs are placed. */
    void arm(List<? extends JobFuture<?>> futures) {
        for (JobFuture<?> f : futures) {
            router.route(f);
            track(f);
        }
    }

    /** Forgets a future whose job was not placed. */
    void disarm(JobFuture<?> future) {
        router.unroute(future);
        synchronized (this) {
            unfinished.remove(future.jobId(), future);
        }
    }

    private void track(JobFuture<?> future) {
        synchronized (this) {
            unfinished.put(future.jobId(), future);
        }
        future.onDone(() -> {
            synchronized (this) {
                recent.put(future.jobId(), future);
                unfinished.remove(future.jobId(), future);
            }
        });
    }

    /** @return this manager's futures that have not completed yet */
    synchronized List<JobFuture<?>> unfinished() {
        return new ArrayList<>(unfinished.values());
    }

    /** @return true while any of this manager's futures has not completed */
    synchronized boolean waitsForAny() {
        return !unfinished.isEmpty();
    }

    /** @return the ids of this manager's unfinished jobs that were placed in (or found in) a Redis fleet */
    @Override
    public synchronized List<String> all() {
        return unfinished.values().stream().filter(JobTracker::inFleet).map(JobFuture::jobId).toList();
    }

    /**
     * The next unfinished jobs placed in a Redis fleet: looks at the first max unfinished jobs and
     * moves them to the end, so the next call looks at the ones after them.
     */
    @Override
    public synchronized List<String> next(int max) {
        List<JobFuture<?>> looked = new ArrayList<>(Math.min(max, unfinished.size()));
        Iterator<JobFuture<?>> it = unfinished.values().iterator();
        while (it.hasNext() && looked.size() < max) {
            looked.add(it.next());
            it.remove();
        }
        List<String> ids = new ArrayList<>(looked.size());
        for (JobFuture<?> f : looked) {
            unfinished.put(f.jobId(), f);
            if (inFleet(f)) {
                ids.add(f.jobId());
            }
        }
        return ids;
    }

    private static boolean inFleet(JobFuture<?> f) {
        return f.isPlaced() && (f.binding() == null || f.binding().backend().usesRedis());
    }

    /**
     * @param jobId a job
     * @return its future when this manager placed or watches it, else the future another manager
     *     of this JVM waits with, else null
     */
    JobFuture<?> find(String jobId) {
        JobFuture<?> own;
        synchronized (this) {
            own = unfinished.get(jobId);
            own = own != null ? own : recent.get(jobId);
        }
        return own != null ? own : router.find(jobId);
    }

    /** Records that a job of this manager went to a worker. */
    synchronized void placed(long pid, JobFuture<?> future) {
        last.put(pid, future);
        if (!future.isDone()) {
            outstanding.computeIfAbsent(pid, p -> new LinkedHashSet<>()).add(future);
            future.onDone(() -> done(pid, future));
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
