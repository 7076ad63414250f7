package io.parametric.manager;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Outcome;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The result of one placed job: completes with its return, or exceptionally with a
 * {@link ProcessError}. {@link #cancel(boolean)} cancels the job in the fleet.
 *
 * <pre>{@code
 * JobFuture<Object> f = procs.submit(newJob(() -> 55));
 * Object ret = f.join();        // 55
 * String id = f.jobId();        // re-attach later with procs.job(id)
 * }</pre>
 *
 * @param <R> the job's return
 */
public final class JobFuture<R> extends CompletableFuture<R> {

    private final String jobId;
    private final Type returnType;
    private final Function<String, ProcessBackend.Progress> probe;
    private final Canceller canceller;
    private volatile Long pid;
    private volatile Binding binding;
    /** True once its placement call returned (or, re-attached, once the fleet confirmed the job). */
    private volatile boolean placed;
    /** The thread registering the manager's own bookkeeping ({@link #onDone}), while it does. */
    private volatile Thread registering;
    /** The manager's bookkeeping not run yet, null before the first; guarded by this. */
    private List<Runnable> bookkeeping;
    /** True once the bookkeeping ran: later registrations run at once; guarded by this. */
    private boolean bookkept;
    /** True once a dependent stage was made from this future (thenApply, whenComplete, copy, …). */
    private volatile boolean stages;
    /** Callbacks of the manager's own bookkeeping registered on it, and threads blocked in get or join. */
    private final AtomicInteger quietDependents = new AtomicInteger();

    /** Cancels a job in the fleet. */
    interface Canceller {
        void cancel(String jobId);
    }

    JobFuture(String jobId, Type returnType, Function<String, ProcessBackend.Progress> probe, Canceller canceller) {
        this.jobId = jobId;
        this.returnType = returnType;
        this.probe = probe;
        this.canceller = canceller;
    }

    /** @return the job's id, unique per placement */
    public String jobId() {
        return jobId;
    }

    /** @return the pid of the worker it runs or ran on, null until it starts */
    public Long pid() {
        Long known = pid;
        if (known != null || isDone()) {
            return known;
        }
        return probe.apply(jobId).pid();
    }

    /** @return the last progress the job reported, 0 to 1 (1 once it succeeded) */
    public double progress() {
        if (isDone() && !isCompletedExceptionally()) {
            return 1.0;
        }
        return probe.apply(jobId).fraction();
    }

    /**
     * Cancels the job in the fleet — a queued job is removed, a running one interrupted — and
     * completes this future with a {@link java.util.concurrent.CancellationException}.
     *
     * @param mayInterruptIfRunning ignored: a running job is always asked to stop
     * @return true when this call cancelled the future
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return false;
        }
        canceller.cancel(jobId);
        return super.cancel(mayInterruptIfRunning);
    }

    /**
     * Makes every dependent stage's future: records that completing this one may run code
     * someone chained to it, unless it is the manager's own bookkeeping.
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        if (registering != Thread.currentThread()) {
            stages = true;
        }
        return new CompletableFuture<>();
    }

    /**
     * Registers the manager's own bookkeeping for when the job ends: short, never blocking, and no
     * stage anyone else sees. All of it runs from one dependent of this future, in the order it
     * was registered; registered after the job ended, it runs at once.
     */
    void onDone(Runnable action) {
        boolean ended;
        synchronized (this) {
            if (bookkeeping != null) {
                bookkeeping.add(action); // the dependent registered with the first runs it
                return;
            }
            ended = bookkept;
            if (!ended) {
                bookkeeping = new ArrayList<>(3);
                bookkeeping.add(action);
            }
        }
        if (ended) {
            action.run();
            return;
        }
        quietDependents.incrementAndGet();
        registering = Thread.currentThread();
        try {
            whenComplete((r, e) -> runBookkeeping());
        } finally {
            registering = null;
        }
    }

    private void runBookkeeping() {
        List<Runnable> actions;
        synchronized (this) {
            bookkept = true;
            actions = bookkeeping;
            bookkeeping = null;
        }
        actions.forEach(Runnable::run);
    }

    /**
     * @return true when completing it runs nothing but the manager's bookkeeping and wakes threads
     *     blocked in {@link #get()} or {@link #join()}: no stage anyone chained to it (a stage
     *     chained while it completes may still run on the completing thread, as with any
     *     CompletableFuture)
     */
    boolean completesQuietly() {
        return !stages && getNumberOfDependents() <= quietDependents.get();
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        quietDependents.incrementAndGet();
        try {
            return super.get();
        } finally {
            quietDependents.decrementAndGet();
        }
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        quietDependents.incrementAndGet();
        try {
            return super.get(timeout, unit);
        } finally {
            quietDependents.decrementAndGet();
        }
    }

    @Override
    public R join() {
        quietDependents.incrementAndGet();
        try {
            return super.join();
        } finally {
            quietDependents.decrementAndGet();
        }
    }

    void bind(Binding where) {
        this.binding = where;
    }

    /** Marks the job as known to its backend: from now on its record exists until its outcome. */
    void placed() {
        placed = true;
    }

    /**
     * @return true once the job is in the fleet: {@code submit} returns before its placement is
     *     sent (it goes out with the next batch); false while queued, and for a job whose
     *     placement failed (the future then holds the error)
     */
    public boolean isPlaced() {
        return placed;
    }

    /** @return the backend the job was placed through, or null for a re-attached job */
    Binding binding() {
        return binding;
    }

    Type returnType() {
        return returnType;
    }

    /** Completes as cancelled without asking the fleet again. */
    void cancelLocally() {
        super.cancel(false);
    }

    /** Completes from an outcome; a later duplicate (at-least-once delivery) is ignored. */
    void completeWith(Outcome outcome) {
        if (outcome.pid() > 0) {
            pid = outcome.pid();
        }
        if (outcome.ok()) {
            try {
                complete(Outcomes.<R>convert(outcome.value(), returnType, outcome));
            } catch (ProcessError e) {
                completeExceptionally(e);
            }
        } else {
            ProcessError error = Outcomes.error(outcome);
            if (error.reason() == Reason.CANCELLED) {
                super.cancel(false);
            } else {
                completeExceptionally(error);
            }
        }
    }

    @Override
    public String toString() {
        return "JobFuture[" + jobId + (pid != null ? " on " + pid : "") + ", " + super.toString() + "]";
    }
}
