package io.parametric.manager;

import io.parametric.manager.ProcessBackend.WorkerHandle;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import java.util.Collection;
import java.util.List;

/**
 * Which workers a manager lists and may place on: {@link OwnedWorkers} for a manager from
 * {@code processes} (the workers it created, pushed or added), {@link FleetWorkers} for one from
 * {@code connect} (the fleet's live workers: read afresh by {@link #workers()}, cached for
 * placement and waiting by {@link #cached()}).
 */
abstract class Membership {

    private volatile boolean closed;

    /** @return the workers, ascending pids, read afresh */
    abstract List<Worker<?>> workers();

    /**
     * @return the workers placement, waiting and shared values go by, ascending pids: the same as
     *     {@link #workers()}, or a set the fleet keeps fresh that may lag it for a moment
     */
    List<Worker<?>> cached() {
        return workers();
    }

    /**
     * Re-reads what {@link #cached()} lists, after a placement found it stale.
     *
     * @return true when it changed (nothing to re-read here: false)
     */
    boolean refresh() {
        return false;
    }

    /**
     * @param pid a worker's pid
     * @return the worker from {@link #cached()}, re-read once when it is not there
     * @throws ProcessError NO_SUCH_WORKER naming the pid and the pids listed
     */
    final Worker<?> member(long pid) {
        List<Worker<?>> all = cached();
        if (all.stream().noneMatch(w -> w.pid() == pid) && refresh()) {
            all = cached();
        }
        return find(all, pid);
    }

    /**
     * Creates workers of a kind and lists them.
     *
     * @throws ProcessError ILLEGAL_STATE when this membership does not create workers
     */
    abstract void add(int n, Class<? extends ProcessKind> kind, List<String> names);

    /** Lists a worker made elsewhere; the manager that made it closes with this one. */
    abstract void push(Worker<?> worker);

    /** @return the managers of pushed workers, to close with this one; forgotten here */
    abstract List<ProcessManager> takeAdopted();

    /** Stops listing a worker. */
    abstract void remove(long pid);

    /** Lists the worker a backend started in place of a dead one; a closed membership stops it instead. */
    abstract void replaced(Binding binding, WorkerHandle replacement);

    /**
     * @param binding a backend
     * @return the pids an open job through that backend may go to, or null for any of its workers
     */
    abstract Collection<Long> candidates(Binding binding);

    /** @return the highest pid listed, 0 when none */
    final long maxPid() {
        return workers().stream().mapToLong(Worker::pid).max().orElse(0);
    }

    /**
     * @param pid a worker's pid
     * @return the worker
     * @throws ProcessError NO_SUCH_WORKER naming the pid and the pids listed
     */
    final Worker<?> get(long pid) {
        return find(workers(), pid);
    }

    static Worker<?> find(List<Worker<?>> all, long pid) {
        for (Worker<?> w : all) {
            if (w.pid() == pid) {
                return w;
            }
        }
        throw new ProcessError(Reason.NO_SUCH_WORKER,
                "no worker with pid " + pid + " in this manager; it has pids " + pidsOf(all)
                        + " — pids are fleet ids, not positions: use workerPids()",
                pid, null, null, null, null);
    }

    /**
     * @param name a worker's name
     * @return the worker
     * @throws ProcessError NO_SUCH_WORKER naming the name and the pids listed
     */
    final Worker<?> get(String name) {
        List<Worker<?>> all = workers();
        return all.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(() -> new ProcessError(
                Reason.NO_SUCH_WORKER,
                "no worker named '" + name + "' in this manager; it has pids " + pidsOf(all) + " named "
                        + all.stream().map(Worker::name).toList(),
                null, null, null, null, null));
    }

    static List<Long> pidsOf(List<Worker<?>> workers) {
        return workers.stream().map(Worker::pid).sorted().toList();
    }

    /** @return true when it was open and is now closed */
    final synchronized boolean close() {
        boolean was = !closed;
        closed = true;
        return was;
    }

    /** Opens it again (the seed adds workers after {@code close}). */
    final synchronized void reopen() {
        closed = false;
    }

    final boolean isClosed() {
        return closed;
    }

    /** @throws ProcessError ILLEGAL_STATE when closed */
    final void checkOpen() {
        if (closed) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "this manager is closed; add workers with addWorkers(n) to use it again, or make a new one with processes(n)");
        }
    }
}
