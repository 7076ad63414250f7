package io.parametric.manager;

import io.parametric.manager.ProcessBackend.WorkerHandle;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.Threaded;
import io.parametric.manager.internal.FleetConnection;
import io.parametric.manager.internal.ThreadedWorker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The membership of a manager from {@code connect}: the fleet's live workers, read afresh by
 * {@link #workers()} through the fleet backend's {@link ProcessBackend#liveWorkers()}, and kept
 * in a {@link MembershipCache} for placement and waiting, so those never list the fleet. It
 * spawns none and adopts none; closing the manager leaves them running.
 */
final class FleetWorkers extends Membership {

    private final Backends backends;
    /** The handles of cached pids, made once per pid (a handle reads its name once). */
    private final Map<Long, Worker<?>> known = new ConcurrentHashMap<>();
    private volatile Listed last = new Listed(List.of(), List.of());

    FleetWorkers(Backends backends) {
        this.backends = backends;
    }

    @Override
    List<Worker<?>> cached() {
        Optional<FleetConnection> connection = backends.connection();
        if (connection.isEmpty()) {
            return workers();
        }
        List<Long> pids = connection.get().members().pids();
        Listed listed = last;
        if (listed.pids() != pids) {
            Binding b = backends.binding(Threaded.class);
            known.keySet().retainAll(new HashSet<>(pids));
            List<Worker<?>> live = new ArrayList<>(pids.size());
            for (long pid : pids) {
                live.add(known.computeIfAbsent(pid, p -> new Worker<>(Threaded.class, ThreadedWorker.found(b.shards().of(p), p), b)));
            }
            listed = new Listed(pids, List.copyOf(live));
            last = listed;
        }
        return listed.workers();
    }

    /** The workers made for one list of pids: kept, and handed out again, while the cache lists the same pids. */
    private record Listed(List<Long> pids, List<Worker<?>> workers) {}

    @Override
    boolean refresh() {
        return backends.connection().map(c -> c.members().refresh()).orElse(false);
    }

    @Override
    List<Worker<?>> workers() {
        Binding b = backends.binding(Threaded.class);
        List<Worker<?>> live = new ArrayList<>();
        for (WorkerHandle h : b.backend().liveWorkers()) {
            live.add(new Worker<>(Threaded.class, h, b));
        }
        return live;
    }

    @Override
    void add(int n, Class<? extends ProcessKind> kind, List<String> names) {
        throw new ProcessError(Reason.ILLEGAL_STATE,
                "a manager made by connect(...) lists the fleet's running workers and does not spawn any; "
                        + "start more worker processes in fleet '" + backends.fleetName() + "' or use processes(n)");
    }

    @Override
    List<ProcessManager> takeAdopted() {
        return List.of();
    }

    @Override
    void push(Worker<?> worker) {
        throw new ProcessError(Reason.ILLEGAL_STATE,
                "a manager made by connect(...) lists the fleet's running workers and adopts none; "
                        + "push workers into a manager made by processes(n)");
    }

    @Override
    void remove(long pid) {
        // the fleet lists only live workers: a closed one is gone from the next read
    }

    @Override
    void replaced(Binding binding, WorkerHandle replacement) {
        replacement.close();
    }

    @Override
    Collection<Long> candidates(Binding binding) {
        return null;
    }
}
