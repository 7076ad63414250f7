package io.parametric.manager;

import io.parametric.manager.Placer.Planned;
import io.parametric.manager.internal.Logs;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Coalesces submits (group commit): {@code submit} plans and arms its job on the caller's thread,
 * queues it and returns its future at once; one placer thread per manager takes everything
 * queued since its last round trip and places it with one {@link Placer#sendIsolating} call
 * (pipelined). A batch closes when the connection is free, never on a timer: a lone submit on an
 * idle manager costs one round trip, and a {@code for} loop of submits from one thread goes out
 * in batches as large as what it queued while the previous batch travelled. A placement error
 * completes the futures it concerns: a job the backend refuses fails alone, Redis away fails the
 * batch. {@link #flush} waits until what was queued before it is placed, for the calls that must
 * see every earlier submit in the fleet ({@code waitFor}, {@code cancel}, {@code close}).
 */
final class SubmitQueue {

    private static final Logger LOG = Logs.get(SubmitQueue.class);

    private final Planner planner;
    private final Placer placer;
    private final String name;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private List<Ticket> queue = new ArrayList<>();
    /** Guarded by lock: how many submits were queued, and how many of the first of them are placed (or failed). */
    private long queued;
    private long settled;
    /** Guarded by lock: the placer thread while it runs; it stops when idle and asked to. */
    private Thread placerThread;
    private boolean stopWhenIdle;

    /**
     * @param planner plans each job
     * @param placer places batches
     * @param name names the placer thread
     */
    SubmitQueue(Planner planner, Placer placer, String name) {
        this.planner = planner;
        this.placer = placer;
        this.name = name;
    }

    private record Ticket(Planned plan, JobFuture<?> future) {}

    /**
     * @param job a checked job
     * @param returnType what its future converts the return to
     * @return its future, armed and queued for placement; a placement error completes it exceptionally
     * @throws ProcessError from planning, as {@link Planner#submit}: UNKNOWN_JOB_TYPE when no worker
     *     lists the job's type, NO_SUCH_WORKER when the manager has none
     */
    @SuppressWarnings("unchecked")
    <R> JobFuture<R> submit(ProcessJob job, Type returnType) {
        List<Planned> plan = planner.submit(List.of(job), List.of(returnType));
        JobFuture<?> future = placer.arm(plan).get(0);
        synchronized (lock) {
            queue.add(new Ticket(plan.get(0), future));
            queued++;
            if (placerThread == null) {
                placerThread = new Thread(this::placeQueued, "pp-submit-" + name);
                placerThread.setDaemon(true);
                placerThread.start();
            } else if (queue.size() == 1) {
                lock.notifyAll();
            }
        }
        return (JobFuture<R>) future;
    }

    /** The placer thread: places what is queued, batch after batch, until asked to stop while idle. */
    private void placeQueued() {
        while (true) {
            List<Ticket> batch;
            synchronized (lock) {
                while (queue.isEmpty()) {
                    if (stopWhenIdle) {
                        placerThread = null;
                        lock.notifyAll();
                        return;
                    }
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // Nobody interrupts the placer: it stops only when asked to, idle.
                    }
                }
                batch = queue;
                queue = new ArrayList<>();
            }
            try {
                List<Planned> plans = new ArrayList<>(batch.size());
                List<JobFuture<?>> futures = new ArrayList<>(batch.size());
                for (Ticket t : batch) {
                    plans.add(t.plan());
                    futures.add(t.future());
                }
                placer.sendIsolating(plans, futures);
            } catch (RuntimeException e) {
                // sendIsolating completed every future it could not place; nothing is left waiting.
                LOG.debug("a batch of {} submit(s) failed: {}", batch.size(), e.toString());
            }
            synchronized (lock) {
                settled += batch.size();
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits until every job submitted before the call is placed or has failed to be. On the placer
     * thread itself (a callback of a future it completed) it returns at once: waiting there would
     * wait for itself.
     */
    void flush() {
        synchronized (lock) {
            if (Thread.currentThread() == placerThread) {
                return;
            }
            long target = queued;
            while (settled < target) {
                waitQuietly();
            }
        }
    }

    /**
     * Places what is queued, then stops the placer thread; the next submit starts a new one. On the
     * placer thread itself it only asks it to stop once idle.
     */
    void close() {
        synchronized (lock) {
            stopWhenIdle = true;
            if (Thread.currentThread() == placerThread) {
                return;
            }
            lock.notifyAll();
            while (placerThread != null) {
                waitQuietly();
            }
            stopWhenIdle = false;
        }
    }

    private void waitQuietly() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError(Reason.TIMEOUT, "interrupted while submitted jobs were being placed", e);
        }
    }
}
