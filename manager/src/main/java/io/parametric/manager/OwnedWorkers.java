package io.parametric.manager;

import io.parametric.manager.ProcessBackend.WorkerHandle;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The membership of a manager from {@code processes}: the workers it created, adopted with
 * {@code push} or got as replacements, ascending pids. Closed workers stay listed until deleted.
 */
final class OwnedWorkers extends Membership {

    private final Backends backends;
    private final ProcessManager self;
    /** Guarded by this; ascending pids. */
    private final List<Worker<?>> members = new ArrayList<>();
    /** An immutable copy of {@link #members}, replaced at each change: read per placement without a lock. */
    private volatile List<Worker<?>> snapshot = List.of();
    /** Managers of pushed workers; guarded by this. */
    private final List<ProcessManager> adopted = new ArrayList<>();

    OwnedWorkers(Backends backends, ProcessManager self) {
        this.backends = backends;
        this.self = self;
    }

    @Override
    List<Worker<?>> workers() {
        return snapshot;
    }

    /** Publishes {@link #members} after a change; called holding this. */
    private void changed() {
        members.sort(Comparator.comparingLong(Worker::pid));
        snapshot = List.copyOf(members);
    }

    @Override
    void add(int n, Class<? extends ProcessKind> kind, List<String> names) {
        reopen();
        Binding b = backends.binding(kind);
        List<WorkerHandle> made = b.backend().createWorkers(n, names);
        made.forEach(h -> list(b, h));
    }

    private synchronized void list(Binding b, WorkerHandle h) {
        members.add(new Worker<>(castKind(b.kind()), h, b));
        changed();
        backends.router().handedOut(h.pid());
    }

    @Override
    void push(Worker<?> worker) {
        synchronized (this) {
            if (members.stream().anyMatch(w -> w.pid() == worker.pid())) {
                if (members.contains(worker)) {
                    return;
                }
                throw new ProcessError(Reason.ILLEGAL_STATE,
                        "this manager already has a worker with pid " + worker.pid() + " (" + worker
                                + " is from another fleet); create it with createWorkers(...) so pids do not collide",
                        worker.pid(), null, null, null, null);
            }
            members.add(worker);
            changed();
            ProcessManager origin = worker.binding().manager();
            if (origin != self && !adopted.contains(origin)) {
                adopted.add(origin);
            }
        }
        backends.reservePids(worker.pid());
    }

    @Override
    synchronized List<ProcessManager> takeAdopted() {
        List<ProcessManager> taken = List.copyOf(adopted);
        adopted.clear();
        return taken;
    }

    @Override
    synchronized void remove(long pid) {
        members.removeIf(m -> m.pid() == pid);
        changed();
    }

    @Override
    void replaced(Binding binding, WorkerHandle replacement) {
        synchronized (this) {
            if (!isClosed() && !binding.released()) {
                list(binding, replacement);
                return;
            }
        }
        replacement.close();
    }

    @Override
    synchronized Collection<Long> candidates(Binding binding) {
        List<Long> pids = new ArrayList<>(members.size());
        for (Worker w : members) {
            if (w.binding() == binding) {
                pids.add(w.pid());
            }
        }
        return pids;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <P extends ProcessKind> Class<P> castKind(Class<? extends ProcessKind> kind) {
        return (Class) kind;
    }
}
