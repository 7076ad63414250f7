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

/**
 * The {@link ProcessBackend} of the {@link Inline} kind, listed in
 * {@code META-INF/services/io.parametric.manager.ProcessBackend}. It implements the seed's
 * essentials: create workers, assign (every placement, distribute included, ends here), the
 * loads distribute balances on, and put (the SPI's default). A job runs at once, on the placing
 * thread, with the worker runtime's {@link JobRunner}; its outcome goes to the manager, which
 * completes futures and {@code waitFor}. Inline workers need no Redis and are always open.
 */
public final class InlineBackend implements ProcessBackend {

    private final JobRunner runner = new JobRunner(Allowlist.inProcess());
    private final Map<Long, InlineWorker> workers = new ConcurrentSkipListMap<>();
    private final Map<String, Long> ranOn = new ConcurrentHashMap<>();

    /** Creates the backend; {@link java.util.ServiceLoader} calls this. */
    public InlineBackend() {}

    /** @return {@link Inline} */
    @Override
    public Class<? extends ProcessKind> kind() {
        return Inline.class;
    }

    /**
     * Makes {@code n} workers, ready at once.
     *
     * @param context the manager's side
     * @param n how many
     * @param names their names, or empty for {@code inline-<pid>}
     * @return the workers
     */
    @Override
    public List<WorkerHandle> createWorkers(Context context, int n, List<String> names) {
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
     * Runs each job on this thread, in order, after checking that every one has a worker.
     *
     * @param context the manager's side
     * @param assignments the jobs and their targets
     * @param candidates the pids open jobs may go to, or null for any
     * @return the pid each job ran on
     * @throws ProcessError NO_SUCH_WORKER or UNKNOWN_JOB_TYPE, before any job runs
     */
    @Override
    public List<Long> assign(Context context, List<Assignment> assignments, Collection<Long> candidates) {
        List<InlineWorker> targets = new ArrayList<>();
        for (Assignment assignment : assignments) {
            targets.add(target(assignment, candidates));
        }
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < assignments.size(); i++) {
            InlineWorker worker = targets.get(i);
            Outcome outcome = worker.run(context, assignments.get(i));
            ranOn.put(outcome.jobId(), worker.pid());
            context.completed(outcome);
            pids.add(worker.pid());
        }
        return pids;
    }

    /**
     * Inline workers never queue: each is open until closed.
     *
     * @param context the manager's side
     * @param pids the workers
     * @return their loads
     */
    @Override
    public List<Load> loads(Context context, List<Long> pids) {
        List<Load> loads = new ArrayList<>();
        for (long pid : pids) {
            InlineWorker worker = workers.get(pid);
            boolean usable = worker != null && !worker.isClosed();
            loads.add(new Load(pid, 0, usable, JobRegistry.names(), usable));
        }
        return loads;
    }

    /**
     * Nothing is ever queued, so there is nothing to cancel.
     *
     * @param context the manager's side
     * @param jobId the job
     * @return false
     */
    @Override
    public boolean cancel(Context context, String jobId) {
        return false;
    }

    /**
     * A job placed here has finished by the time anyone asks.
     *
     * @param context the manager's side
     * @param jobId the job
     * @return where it ran, complete; or not started when this backend never ran it
     */
    @Override
    public Progress progress(Context context, String jobId) {
        Long pid = ranOn.get(jobId);
        return pid == null ? new Progress(null, 0) : new Progress(pid, 1);
    }

    /** Closes every worker. */
    @Override
    public void close() {
        workers.values().forEach(InlineWorker::close);
    }

    private InlineWorker target(Assignment assignment, Collection<Long> candidates) {
        if (!assignment.jobType().isEmpty() && JobRegistry.find(assignment.jobType()).isEmpty()) {
            throw new ProcessError(Reason.UNKNOWN_JOB_TYPE, "no Inline worker has the job type '"
                    + assignment.jobType() + "'; they have " + JobRegistry.names()
                    + ". Register it with JobRegistry.register or list it in META-INF/services/io.parametric.shared.JobType");
        }
        if (assignment.target() == Target.EXACT) {
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
        synchronized Outcome run(Context context, Assignment assignment) {
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
