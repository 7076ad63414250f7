package io.parametric.manager.internal;

import io.parametric.manager.ProcessBackend;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import io.parametric.worker.JobRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** One {@code Async} worker: a daemon thread of the manager's JVM with its own queue. */
final class AsyncWorker extends ProcessBackend.AbstractWorkerHandle {

    private final AsyncBackend backend;
    final Thread thread;
    /** Guarded by the backend's lock. */
    final Deque<JobPayload> queue = new ArrayDeque<>();
    volatile JobPayload running;
    volatile Outcome latest;
    volatile boolean closed;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    AsyncWorker(AsyncBackend backend, long pid, String name) {
        super(pid, name);
        this.backend = backend;
        this.thread = new Thread(this::loop, "pp-async-" + pid);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (true) {
            JobPayload job;
            try {
                job = backend.next(this);
            } catch (InterruptedException e) {
                // An interrupt meant for a job that finished first: keep serving the queue.
                continue;
            }
            if (job == null) {
                return;
            }
            backend.run(this, job);
        }
    }

    void join() {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public Set<String> jobTypes() {
        return JobRegistry.names();
    }

    @Override
    public boolean isActive() {
        return !closed && backend.isActive(this);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Outcome latest() {
        return latest;
    }

    /** @param outcome the outcome of a job this worker ran, counted in {@link #done()} or {@link #failed()} */
    void count(Outcome outcome) {
        (outcome.ok() ? done : failed).incrementAndGet();
    }

    @Override
    public long done() {
        return done.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public int queued() {
        return backend.queued(this);
    }

    @Override
    public void close() {
        backend.close(this);
    }
}
