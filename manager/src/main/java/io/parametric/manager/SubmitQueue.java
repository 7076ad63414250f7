package io.parametric.manager;

import io.parametric.manager.Placer.Planned;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces concurrent {@code submit}s (group commit): each submit is planned and armed on its
 * caller's thread, then queued. When no placement is under way, the caller places everything
 * queued — its own job and any that came meanwhile — in one pipelined {@link Placer#send}; submits
 * that arrive while it does wait and go together in the next one, placed by one of their callers.
 * A batch closes when the connection is free, never on a timer, so a lone submit on an idle
 * manager costs one round trip, and every submit returns once its job is in the fleet (or throws
 * what its placement threw).
 */
final class SubmitQueue {

    private final Planner planner;
    private final Placer placer;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private List<Ticket> queue = new ArrayList<>();
    /** Guarded by lock: true while some caller places a batch. */
    private boolean placing;

    SubmitQueue(Planner planner, Placer placer) {
        this.planner = planner;
        this.placer = placer;
    }

    /** One queued submit; its fields are guarded by the queue's lock. */
    private static final class Ticket {
        final Planned plan;
        final JobFuture<?> future;
        boolean done;
        RuntimeException failure;

        Ticket(Planned plan, JobFuture<?> future) {
            this.plan = plan;
            this.future = future;
        }
    }

    /**
     * @param job a checked job
     * @param returnType what its future converts the return to
     * @return its future, once the job is placed
     * @throws io.parametric.shared.ProcessError as {@link Planner#submit} or the placement
     */
    @SuppressWarnings("unchecked")
    <R> JobFuture<R> submit(ProcessJob job, Type returnType) {
        List<Planned> plan = planner.submit(List.of(job), List.of(returnType));
        Ticket mine = new Ticket(plan.get(0), placer.arm(plan).get(0));
        List<Ticket> batch;
        synchronized (lock) {
            queue.add(mine);
            while (!mine.done && placing) {
                waitForBatch();
            }
            if (mine.done) {
                return result(mine);
            }
            placing = true;
            batch = queue;
            queue = new ArrayList<>();
        }
        RuntimeException failure = null;
        try {
            placer.send(batch.stream().map(t -> t.plan).toList(), batch.stream().<JobFuture<?>>map(t -> t.future).toList());
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            synchronized (lock) {
                for (Ticket t : batch) {
                    t.done = true;
                    t.failure = failure;
                }
                placing = false;
                lock.notifyAll();
            }
        }
        synchronized (lock) {
            return result(mine);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> JobFuture<R> result(Ticket t) {
        if (t.failure != null) {
            throw t.failure;
        }
        return (JobFuture<R>) t.future;
    }

    private void waitForBatch() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError(Reason.TIMEOUT, "interrupted while a submitted job was being placed", e);
        }
    }
}
