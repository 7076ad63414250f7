package io.parametric.manager.internal;

import io.parametric.manager.ProcessBackend;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.WorkerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A worker slot in a Redis fleet, spawned by this manager (then it owns the JVM) or found in
 * the fleet. Every state read goes to Redis, so it is never stale; the name of a slot known only
 * by its pid is read once, when first asked for.
 */
public final class ThreadedWorker implements ProcessBackend.WorkerHandle {

    /** How long close waits for a spawned worker to finish its job and exit before killing it. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(Long.getLong("pp.worker.closeTimeout", 40));

    private final Fleet fleet;
    private final long pid;
    private volatile String name;
    private final Process process;
    private volatile boolean stopRequested;

    /**
     * @param fleet the fleet
     * @param pid the slot's pid
     * @param name its name
     * @param process the JVM this manager spawned for it, or null
     */
    public ThreadedWorker(Fleet fleet, long pid, String name, Process process) {
        this.fleet = fleet;
        this.pid = pid;
        this.name = name;
        this.process = process;
    }

    /**
     * @param fleet the fleet
     * @param pid a slot of the fleet that this manager did not spawn
     * @return its handle; nothing is read until a method asks
     */
    public static ThreadedWorker found(Fleet fleet, long pid) {
        return new ThreadedWorker(fleet, pid, null, null);
    }

    @Override
    public long pid() {
        return pid;
    }

    /** @return the name; "?" when the fleet no longer knows the slot */
    @Override
    public String name() {
        String known = name;
        if (known == null) {
            known = fleet.worker(pid).map(WorkerRecord::name).orElse("?");
            name = known;
        }
        return known;
    }

    @Override
    public String host() {
        return fleet.worker(pid()).map(WorkerRecord::host).orElse("");
    }

    @Override
    public Set<String> jobTypes() {
        return fleet.worker(pid()).map(WorkerRecord::types).orElse(Set.of());
    }

    @Override
    public boolean isActive() {
        Fleet.WorkerLoad load = fleet.loads(List.of(pid())).get(0);
        return !closed(load) && (load.pending() > 0 || load.inFlight() > 0 || load.record().map(WorkerRecord::job).isPresent());
    }

    @Override
    public boolean isClosed() {
        if (process != null && !process.isAlive()) {
            return true;
        }
        try {
            return closed(fleet.loads(List.of(pid())).get(0));
        } catch (RuntimeException e) {
            // The manager's connection is closed (or Redis is gone): its spawned workers were stopped with it.
            if (process != null) {
                return !process.isAlive();
            }
            throw e;
        }
    }

    boolean closed(Fleet.WorkerLoad load) {
        if (process != null && !process.isAlive()) {
            return true;
        }
        return !load.takesJobs();
    }

    @Override
    public Outcome latest() {
        return fleet.latestOutcome(pid());
    }

    @Override
    public long done() {
        return fleet.worker(pid()).map(WorkerRecord::done).orElse(0L);
    }

    @Override
    public long failed() {
        return fleet.worker(pid()).map(WorkerRecord::failed).orElse(0L);
    }

    @Override
    public int queued() {
        return (int) fleet.queued(pid());
    }

    /**
     * Stops the worker. A spawned JVM gets SIGTERM (it finishes its running job, hands queued
     * jobs to the backlog and deregisters) and is waited for; a worker found in the fleet is taken
     * out of it, its queued jobs re-homed, and stops when its heartbeat learns it.
     */
    @Override
    public void close() {
        if (process != null) {
            requestStop();
            awaitExit();
        } else if (!isClosed()) {
            fleet.rehome(pid(), false, "closed", "closed by its manager");
        }
    }

    /** @return true once this manager asked the JVM to stop (its exit is then no failure) */
    boolean stopRequested() {
        return stopRequested;
    }

    /** @return completes when the spawned JVM exits; never for a worker found in the fleet */
    java.util.concurrent.CompletableFuture<Process> exited() {
        return process == null ? new java.util.concurrent.CompletableFuture<>() : process.onExit();
    }

    /** Sends SIGTERM to a spawned JVM without waiting. */
    void requestStop() {
        stopRequested = true;
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** Waits for a spawned JVM to exit, killing it after {@link #EXIT_WAIT}. */
    void awaitExit() {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                fleet.rehome(pid(), true, "dead", "killed by its manager after it did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the fleet, or the shard of it, the worker registered in */
    Fleet fleet() {
        return fleet;
    }

    /** @return true when this manager spawned the worker's JVM */
    boolean spawned() {
        return process != null;
    }
}
