package io.parametric.manager.extension;

import io.parametric.manager.ProcessBackend;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import io.parametric.worker.Allowlist;
import io.parametric.worker.JobRunner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The backend of {@link Inline}, found through META-INF/services: the seed's essentials and nothing more. */
public final class InlineBackend implements ProcessBackend {

    private final Map<Long, Slot> slots = new ConcurrentHashMap<>();
    private final JobRunner runner = new JobRunner(Allowlist.everything());

    /** For ServiceLoader. */
    public InlineBackend() {}

    @Override
    public Class<? extends ProcessKind> kind() {
        return Inline.class;
    }

    @Override
    public List<WorkerHandle> createWorkers(Context context, int n, List<String> names) {
        List<WorkerHandle> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long pid = context.newPid();
            Slot s = new Slot(pid, names.isEmpty() ? "inline-" + pid : names.get(i));
            slots.put(pid, s);
            made.add(s);
        }
        return made;
    }

    @Override
    public List<Long> assign(Context context, List<Assignment> assignments, Collection<Long> candidates) {
        for (Assignment a : assignments) {
            if (!a.jobType().isEmpty() || (a.target() == Target.EXACT && !slots.containsKey(a.pid()))) {
                throw new ProcessError(ProcessError.Reason.UNKNOWN_JOB_TYPE, "Inline workers run lambdas only");
            }
        }
        List<Long> placed = new ArrayList<>();
        for (Assignment a : assignments) {
            Slot s = a.target() == Target.EXACT || a.pid() > 0 ? slots.get(a.pid()) : slots.values().iterator().next();
            JobPayload p = a.payload();
            s.pending.incrementAndGet();
            s.executor.execute(() -> {
                Outcome o = runner.run(p, context.jobContext(s.pid, s.name, p.id(), 1, f -> { }), s.pid, 1);
                s.latest = o;
                s.pending.decrementAndGet();
                context.completed(o);
            });
            placed.add(s.pid);
        }
        return placed;
    }

    @Override
    public List<Load> loads(Context context, List<Long> pids) {
        return pids.stream().map(pid -> {
            Slot s = slots.get(pid);
            return new Load(pid, s.pending.get(), s.pending.get() == 0, Set.of(), !s.executor.isShutdown());
        }).toList();
    }

    @Override
    public boolean cancel(Context context, String jobId) {
        return false;
    }

    @Override
    public Progress progress(Context context, String jobId) {
        return new Progress(null, 0);
    }

    @Override
    public void close() {
        slots.values().forEach(Slot::close);
    }

    private static final class Slot implements WorkerHandle {
        final long pid;
        final String name;
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        final AtomicInteger pending = new AtomicInteger();
        volatile Outcome latest;

        Slot(long pid, String name) {
            this.pid = pid;
            this.name = name;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String host() {
            return "here";
        }

        @Override
        public Set<String> jobTypes() {
            return Set.of();
        }

        @Override
        public boolean isActive() {
            return pending.get() > 0;
        }

        @Override
        public boolean isClosed() {
            return executor.isShutdown();
        }

        @Override
        public Outcome latest() {
            return latest;
        }

        @Override
        public int queued() {
            return Math.max(0, pending.get() - 1);
        }

        @Override
        public void close() {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
