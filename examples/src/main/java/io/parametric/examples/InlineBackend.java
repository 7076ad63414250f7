package io.parametric.examples;

import io.parametric.manager.ProcessBackend;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.Outcome;
import io.parametric.worker.Allowlist;
import io.parametric.worker.JobRegistry;
import io.parametric.worker.JobRunner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ProcessBackend} of the {@link Inline} kind, listed in
 * {@code META-INF/services/io.parametric.manager.ProcessBackend}: a third kind written against
 * the SPI alone. The manager binds it once with its {@link ProcessBackend.Context}; it then
 * implements the seed's essentials: create workers, assign (every placement, distribute and
 * delayed jobs included, ends here), the loads distribute balances on, and the live workers. A
 * job runs at once, on the placing thread, with the worker runtime's {@link JobRunner} (a delayed
 * one on a timer thread once due); its outcome goes to {@link ProcessBackend.Context#completed},
 * which completes futures and {@code waitFor}. Shared values are the manager's: jobs read them
 * through {@link ProcessBackend.Context#jobContext}. Inline workers need no Redis and are always open.
 */
public final class InlineBackend implements ProcessBackend {

    private final JobRunner runner = new JobRunner(Allowlist.inProcess());
    private final Map<Long, InlineWorker> workers = new ConcurrentSkipListMap<>();
    private final Map<String, Long> ranOn = new ConcurrentHashMap<>();
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inline-delayed");
        t.setDaemon(true);
        return t;
    });
    private Context context;

    /** Creates the backend; {@link java.util.ServiceLoader} calls this. */
    public InlineBackend() {}

    /** @return {@link Inline} */
    @Override
    public Class<? extends ProcessKind> kind() {
        return Inline.class;
    }

    /**
     * Keeps the manager's side for every later call.
     *
     * @param context the manager's side
     */
    @Override
    public void bind(Context context) {
        this.context = context;
    }

    /**
     * Makes {@code n} workers, ready at once.
     *
     * @param n how many
     * @param names their names, or empty for {@code inline-<pid>}
     * @return the workers
     */
    @Override
    public List<WorkerHandle> createWorkers(int n, List<String> names) {
        List<WorkerHandle> created = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long pid = context.newPid();
            InlineWorker worker = new InlineWorker(pid, names.isEmpty() ? "inline-" + pid : names.get(i));
            workers.put(pid, worker);
            created.add(worker);
        }
        return created;
    }

    /**
     * Runs each job on this thread, in order, after checking that every one has a worker; a
     * delayed job runs on a timer thread once due, on the first open candidate.
     *
     * @param assignments the jobs, their targets and delays
     * @param candidates the pids open jobs may go to, or null for any
     * @return the pid each job ran on, 0 for a delayed one
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE, before any job runs
     */
    @Override
    public List<Long> assign(List<Assignment> assignments, Collection<Long> candidates) {
        List<InlineWorker> targets = new ArrayList<>();
        for (Assignment assignment : assignments) {
            targets.add(target(assignment, candidates));
        }
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < assignments.size(); i++) {
            Assignment assignment = assignments.get(i);
            InlineWorker worker = targets.get(i);
            if (assignment.delayed()) {
                delayed.schedule(() -> run(worker, assignment), assignment.delay().toMillis(), TimeUnit.MILLISECONDS);
                pids.add(0L);
            } else {
                run(worker, assignment);
                pids.add(worker.pid());
            }
        }
        return pids;
    }

    private void run(InlineWorker worker, Assignment assignment) {
        Outcome outcome = worker.run(assignment);
        ranOn.put(outcome.jobId(), worker.pid());
        context.completed(outcome);
    }

    /**
     * Inline workers never queue: each is open until closed.
     *
     * @param pids the workers
     * @return their loads
     */
    @Override
    public List<Load> loads(List<Long> pids) {
        List<Load> loads = new ArrayList<>();
        for (long pid : pids) {
            InlineWorker worker = workers.get(pid);
            boolean usable = worker != null && !worker.isClosed();
            loads.add(new Load(pid, 0, usable, JobRegistry.names(), usable));
        }
        return loads;
    }

    /**
     * @return the open workers, ascending pids
     */
    @Override
    public List<WorkerHandle> liveWorkers() {
        return workers.values().stream().filter(w -> !w.isClosed()).map(w -> (WorkerHandle) w).toList();
    }

    /**
     * Nothing is ever queued, so there is nothing to cancel.
     *
     * @param jobId the job
     * @return false
     */
    @Override
    public boolean cancel(String jobId) {
        return false;
    }

    /**
     * A job placed here has finished by the time anyone asks.
     *
     * @param jobId the job
     * @return where it ran, complete; or not started when this backend never ran it
     */
    @Override
    public Progress progress(String jobId) {
        Long pid = ranOn.get(jobId);
        return pid == null ? new Progress(null, 0) : new Progress(pid, 1);
    }

    /** Closes every worker and drops delayed jobs not yet due (the manager fails their futures). */
    @Override
    public void close() {
        delayed.shutdownNow();
        workers.values().forEach(InlineWorker::close);
    }

    private InlineWorker target(Assignment assignment, Collection<Long> candidates) {
        if (!assignment.jobType().isEmpty() && JobRegistry.find(assignment.jobType()).isEmpty()) {
            throw new ProcessError(Reason.UNKNOWN_JOB_TYPE, "no Inline worker has the job type '"
                    + assignment.jobType() + "'; they have " + JobRegistry.names()
                    + ". Register it with JobRegistry.register or list it in META-INF/services/io.parametric.shared.JobType");
        }
        if (assignment.target() == Target.EXACT && !assignment.delayed()) {
            InlineWorker worker = workers.get(assignment.pid());
            if (worker == null || worker.isClosed()) {
                throw new ProcessError(Reason.NO_SUCH_WORKER, "no open Inline worker has pid " + assignment.pid()
                        + "; the open ones are " + openPids() + ". Use a pid from workerPids(Inline.class)",
                        assignment.pid(), null, null, null, null);
            }
            return worker;
        }
        // Every Inline worker is open (it runs nothing between placements): take the first candidate.
        return workers.values().stream()
                .filter(w -> !w.isClosed() && (candidates == null || candidates.contains(w.pid())))
                .findFirst()
                .orElseThrow(() -> new ProcessError(Reason.NO_SUCH_WORKER,
                        "no open Inline worker to run the job; add one with addWorkers(1, Inline.class)"));
    }

    private List<Long> openPids() {
        return workers.values().stream().filter(w -> !w.isClosed()).map(InlineWorker::pid).toList();
    }

    /** One Inline worker: a name and a latest outcome; its jobs run on the placing thread. */
    private final class InlineWorker extends AbstractWorkerHandle {
        private volatile Outcome latest;
        private volatile boolean running;
        private volatile boolean closed;

        InlineWorker(long pid, String name) {
            super(pid, name);
        }

        // Jobs of one worker run one at a time, as on every other kind.
        synchronized Outcome run(Assignment assignment) {
            String jobId = assignment.payload().id();
            running = true;
            try {
                latest = runner.run(assignment.payload(), context.jobContext(pid(), name(), jobId, 1, fraction -> {}), pid(), 1);
                return latest;
            } finally {
                running = false;
            }
        }

        @Override
        public String host() {
            return "inline";
        }

        @Override
        public Set<String> jobTypes() {
            return JobRegistry.names();
        }

        @Override
        public boolean isActive() {
            return running;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public Outcome latest() {
            return latest;
        }

        @Override
        public int queued() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
