package io.parametric.manager;

import io.parametric.manager.internal.LambdaReturnType;
import io.parametric.shared.ProcessError;
import java.io.Serializable;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fleet as an {@link ExecutorService}: each task is a serializable {@link Callable} or
 * {@link Runnable} lambda, placed as {@code submit} places a job (batches from
 * {@code invokeAll}/{@code invokeAny} as {@code submitAll}), its result converted to the return
 * type of the task's instantiated signature. {@link #shutdown()} stops this executor accepting
 * tasks; the fleet's workers keep running and its jobs finish.
 */
final class FleetExecutor implements ExecutorService {

    private final ProcessManager manager;
    private final Set<JobFuture<?>> unfinished = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    FleetExecutor(ProcessManager manager) {
        this.manager = manager;
    }

    @Override
    public <T> JobFuture<T> submit(Callable<T> task) {
        return placeOne(job(task));
    }

    @Override
    public Future<?> submit(Runnable task) {
        return placeOne(job(task));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return this.<T>placeOne(job(task)).thenApply(ignored -> result);
    }

    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<JobFuture<T>> futures = place(tasks.stream().map(this::job).toList());
        for (JobFuture<T> f : futures) {
            try {
                f.get();
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // its outcome stays in its future
            }
        }
        return new ArrayList<>(futures);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<JobFuture<T>> futures = place(tasks.stream().map(this::job).toList());
        for (JobFuture<T> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // its outcome stays in its future
            } catch (TimeoutException e) {
                futures.forEach(u -> u.cancel(true));
                break;
            }
        }
        return new ArrayList<>(futures);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ExecutionException("no task finished", e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        List<JobFuture<T>> futures = place(tasks.stream().map(this::job).toList());
        CompletableFuture<T> first = new CompletableFuture<>();
        for (JobFuture<T> f : futures) {
            f.whenComplete((r, e) -> {
                if (e == null) {
                    first.complete(r);
                } else if (futures.stream().allMatch(CompletableFuture::isDone)) {
                    first.completeExceptionally(e);
                }
            });
        }
        try {
            return unit.toNanos(timeout) == Long.MAX_VALUE ? first.get() : first.get(timeout, unit);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    /**
     * Stops accepting tasks and cancels those of this executor still waiting or running; the
     * workers keep running.
     *
     * @return an empty list: every accepted task was handed to the fleet
     */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        unfinished.forEach(f -> f.cancel(true));
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && unfinished.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (JobFuture<?> f : List.copyOf(unfinished)) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // finished all the same
            } catch (TimeoutException e) {
                return false;
            }
        }
        return isTerminated();
    }

    /** A task as a job and the type its result converts to. */
    private record Task(ProcessJob job, Type returnType) {}

    private Task job(Object task) {
        if (task == null) {
            throw new NullPointerException("task is null");
        }
        if (!(task instanceof Serializable serializable)) {
            throw new RejectedExecutionException("task " + task.getClass().getName() + " is not serializable, so it cannot"
                    + " travel to a worker; write the lambda with an intersection cast, e.g."
                    + " (Callable<T> & Serializable) () -> ..., or (Runnable & Serializable) () -> ...");
        }
        try {
            return new Task(new ProcessJob(io.parametric.shared.protocol.JobPayloads.lambda(serializable, List.of())),
                    LambdaReturnType.of(serializable));
        } catch (ProcessError e) {
            throw new RejectedExecutionException("task " + task.getClass().getName() + " cannot run on a worker: "
                    + e.getMessage(), e);
        }
    }

    /** One task, coalesced with other submits as {@code submit} is. */
    private <T> JobFuture<T> placeOne(Task task) {
        checkAccepting();
        return remember(manager.submit(task.job(), task.returnType()));
    }

    /** Many tasks, placed together as {@code submitAll}. */
    private <T> List<JobFuture<T>> place(List<Task> tasks) {
        checkAccepting();
        List<JobFuture<T>> futures = manager.submitAll(tasks.stream().map(Task::job).toList(),
                tasks.stream().map(Task::returnType).toList());
        futures.forEach(this::remember);
        return futures;
    }

    private void checkAccepting() {
        if (shutdown) {
            throw new RejectedExecutionException("this executor was shut down; get a new one with executor() "
                    + "(the fleet's workers keep running)");
        }
    }

    private <T> JobFuture<T> remember(JobFuture<T> f) {
        unfinished.add(f);
        f.onDone(() -> unfinished.remove(f));
        return f;
    }
}
