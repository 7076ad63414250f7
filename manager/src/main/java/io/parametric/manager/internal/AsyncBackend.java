package io.parametric.manager.internal;

import io.parametric.manager.ProcessBackend;
import io.parametric.shared.Async;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import io.parametric.worker.Allowlist;
import io.parametric.worker.JobRegistry;
import io.parametric.worker.JobRunner;
import io.parametric.worker.JobWatchdog;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Async} workers: threads in the manager's JVM, each running its queue one job at a time
 * with the worker runtime's {@link JobRunner}; a shared backlog goes to whichever is free first.
 * No Redis is needed; jobs still travel as payloads, so they behave as on a worker JVM.
 */
public final class AsyncBackend implements ProcessBackend {

    private final Object lock = new Object();
    private final Map<Long, AsyncWorker> workers = new TreeMap<>();
    private final Deque<JobPayload> backlog = new ArrayDeque<>();
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final JobRunner runner = new JobRunner(Allowlist.inProcess());
    /** Failed runs so far, per job with retries left. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    /** Holds retried and delayed jobs until they are due. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pp-async-timer");
        t.setDaemon(true);
        return t;
    });
    /** A job that ignores its timeout's interrupt still gets its JOB_TIMEOUT outcome at the end of the grace. */
    private final JobWatchdog watchdog = new JobWatchdog(JobWatchdog.DEFAULT_GRACE, stuck -> finish(stuck.outcome()));
    private volatile boolean closed;
    private Context context;

    /** Made by {@link java.util.ServiceLoader}. */
    public AsyncBackend() {}

    @Override
    public Class<? extends ProcessKind> kind() {
        return Async.class;
    }

    @Override
    public void bind(Context context) {
        this.context = context;
    }

    @Override
    public List<WorkerHandle> createWorkers(int n, List<String> names) {
        List<WorkerHandle> made = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < n; i++) {
                long pid = context.newPid();
                String name = names.isEmpty() ? "async-" + pid : names.get(i);
                AsyncWorker w = new AsyncWorker(this, pid, name);
                workers.put(pid, w);
                made.add(w);
            }
        }
        made.forEach(w -> ((AsyncWorker) w).start());
        return made;
    }

    /** Queues each job on its worker or the backlog; a delayed one goes, once due, to the first open worker or the backlog. */
    @Override
    public List<Long> assign(List<Assignment> assignments, Collection<Long> candidates) {
        Set<String> types = JobRegistry.names();
        synchronized (lock) {
            for (Assignment a : assignments) {
                if (!a.jobType().isEmpty() && !types.contains(a.jobType())) {
                    throw new ProcessError(Reason.UNKNOWN_JOB_TYPE,
                            "no Async worker has job type '" + a.jobType() + "' (this JVM registers " + types
                                    + "); nothing was placed — register it with JobRegistry.register before placing",
                            a.pid() > 0 ? a.pid() : null, null, null, null, null);
                }
                if (a.target() != Target.OPEN_OR_BACKLOG && !a.delayed()) {
                    usable(a.pid());
                }
            }
            List<Long> placed = new ArrayList<>(assignments.size());
            for (Assignment a : assignments) {
                if (a.delayed()) {
                    Assignment due = new Assignment(a.payload(), a.jobType(), Target.OPEN_OR_BACKLOG, 0, java.time.Duration.ZERO);
                    timer.schedule(() -> placeWhenDue(due, candidates), a.delay().toMillis(), TimeUnit.MILLISECONDS);
                    placed.add(0L);
                    continue;
                }
                AsyncWorker target = a.target() == Target.EXACT ? workers.get(a.pid()) : firstOpen(candidates);
                if (target == null && a.target() == Target.OPEN) {
                    target = workers.get(a.pid());
                }
                progress.put(a.payload().id(), new Progress(null, 0));
                if (target == null) {
                    backlog.addLast(a.payload());
                    placed.add(0L);
                } else {
                    target.queue.addLast(a.payload());
                    placed.add(target.pid());
                }
            }
            lock.notifyAll();
            return placed;
        }
    }

    private void placeWhenDue(Assignment due, Collection<Long> candidates) {
        try {
            assign(List.of(due), candidates);
        } catch (RuntimeException e) {
            finish(Outcome.failure(due.payload().id(), 0, e instanceof ProcessError p ? p.reason().name() : "JOB_FAILED",
                    "the delayed job could not be placed when due: " + e.getMessage(), 0));
        }
    }

    private void usable(long pid) {
        AsyncWorker w = workers.get(pid);
        if (w == null || w.closed) {
            throw new ProcessError(Reason.NO_SUCH_WORKER,
                    "Async worker " + pid + " is " + (w == null ? "not a worker of this manager" : "closed")
                            + "; nothing was placed — pick a pid from workerPids()",
                    pid, null, null, null, null);
        }
    }

    private AsyncWorker firstOpen(Collection<Long> candidates) {
        for (AsyncWorker w : workers.values()) {
            if (!w.closed && w.running == null && w.queue.isEmpty() && (candidates == null || candidates.contains(w.pid()))) {
                return w;
            }
        }
        return null;
    }

    @Override
    public List<Load> loads(List<Long> pids) {
        Set<String> types = JobRegistry.names();
        synchronized (lock) {
            List<Load> loads = new ArrayList<>(pids.size());
            for (long pid : pids) {
                AsyncWorker w = workers.get(pid);
                if (w == null) {
                    loads.add(new Load(pid, 0, false, Set.of(), false));
                } else {
                    long queued = w.queue.size() + (w.running != null ? 1 : 0);
                    loads.add(new Load(pid, queued, !w.closed && queued == 0, types, !w.closed));
                }
            }
            return loads;
        }
    }

    @Override
    public boolean cancel(String jobId) {
        JobPayload removed = null;
        synchronized (lock) {
            for (AsyncWorker w : workers.values()) {
                if (w.running != null && w.running.id().equals(jobId)) {
                    watchdog.cancel(jobId);
                    return false;
                }
                removed = removeById(w.queue, jobId);
                if (removed != null) {
                    break;
                }
            }
            if (removed == null) {
                removed = removeById(backlog, jobId);
            }
        }
        if (removed == null) {
            return false;
        }
        finish(Outcome.failure(jobId, 0, "CANCELLED", "cancelled while queued", 0));
        return true;
    }

    private static JobPayload removeById(Deque<JobPayload> queue, String jobId) {
        for (var it = queue.iterator(); it.hasNext(); ) {
            JobPayload p = it.next();
            if (p.id().equals(jobId)) {
                it.remove();
                return p;
            }
        }
        return null;
    }

    @Override
    public Progress progress(String jobId) {
        return progress.getOrDefault(jobId, new Progress(null, 0));
    }

    /** Blocks for the worker's next job: its own queue first, then the backlog; null once closed. */
    JobPayload next(AsyncWorker w) throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (w.closed) {
                    return null;
                }
                JobPayload job = w.queue.pollFirst();
                if (job == null) {
                    job = backlog.pollFirst();
                }
                if (job != null) {
                    w.running = job;
                    progress.put(job.id(), new Progress(w.pid(), 0));
                    return job;
                }
                lock.wait();
            }
        }
    }

    /** Runs one job on the calling worker thread and reports its outcome. */
    void run(AsyncWorker w, JobPayload job) {
        int attempt = attempts.getOrDefault(job.id(), 0) + 1;
        Outcome outcome = watchdog.run(job, w.pid(), attempt, () -> runner.run(job,
                context.jobContext(w.pid(), w.name(), job.id(), attempt,
                        fraction -> progress.put(job.id(), new Progress(w.pid(), fraction))),
                w.pid(), attempt));
        Thread.interrupted();
        boolean retry = !outcome.ok() && "JOB_FAILED".equals(outcome.reason()) && attempt <= job.retries() && !closed;
        synchronized (lock) {
            w.running = null;
            if (!retry) {
                w.latest = outcome;
                w.count(outcome);
            }
            lock.notifyAll();
        }
        if (retry) {
            attempts.put(job.id(), attempt);
            long delay = 1000L << Math.min(20, attempt - 1);
            timer.schedule(() -> {
                synchronized (lock) {
                    if (!closed) {
                        backlog.addLast(job);
                        lock.notifyAll();
                    }
                }
            }, delay, TimeUnit.MILLISECONDS);
            return;
        }
        attempts.remove(job.id());
        finish(outcome);
    }

    private void finish(Outcome outcome) {
        progress.remove(outcome.jobId());
        context.completed(outcome);
    }

    /** Closes one worker: it finishes its running job; queued jobs go to the backlog (pinned ones fail). */
    void close(AsyncWorker w) {
        List<Outcome> lost = new ArrayList<>();
        synchronized (lock) {
            if (w.closed) {
                return;
            }
            w.closed = true;
            boolean others = workers.values().stream().anyMatch(o -> !o.closed);
            for (JobPayload p; (p = w.queue.pollFirst()) != null; ) {
                if (p.pinned() || !others) {
                    lost.add(Outcome.failure(p.id(), w.pid(), "WORKER_LOST",
                            (p.pinned() ? "pinned job lost its worker " : "no Async worker is left after closing ") + w.pid(), 0));
                } else {
                    backlog.addLast(p);
                }
            }
            lock.notifyAll();
        }
        lost.forEach(this::finish);
    }

    @Override
    public void close() {
        List<AsyncWorker> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(workers.values());
        }
        timer.shutdownNow();
        all.forEach(this::close);
        List<Outcome> lost = new ArrayList<>();
        synchronized (lock) {
            for (JobPayload p; (p = backlog.pollFirst()) != null; ) {
                lost.add(Outcome.failure(p.id(), 0, "WORKER_LOST", "its manager closed before an Async worker took it", 0));
            }
        }
        lost.forEach(this::finish);
        all.forEach(AsyncWorker::join);
        watchdog.close();
    }

    @Override
    public List<WorkerHandle> liveWorkers() {
        synchronized (lock) {
            return workers.values().stream().filter(w -> !w.closed).map(w -> (WorkerHandle) w).toList();
        }
    }

    boolean isActive(AsyncWorker w) {
        synchronized (lock) {
            return w.running != null || !w.queue.isEmpty();
        }
    }

    int queued(AsyncWorker w) {
        synchronized (lock) {
            return w.queue.size();
        }
    }
}
