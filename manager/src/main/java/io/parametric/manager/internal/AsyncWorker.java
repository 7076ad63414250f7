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

/** One {@code Async} worker: a daemon thread of the manager's JVM with its own queue. */
final class AsyncWorker implements ProcessBackend.WorkerHandle {

    private final AsyncBackend backend;
    private final long pid;
    private final String name;
    final Thread thread;
    /** Guarded by the backend's lock. */
    final Deque<JobPayload> queue = new ArrayDeque<>();
    volatile JobPayload running;
    volatile Outcome latest;
    volatile boolean closed;

    AsyncWorker(AsyncBackend backend, long pid, String name) {
        this.backend = backend;
        this.pid = pid;
        this.name = name;
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
    public long pid() {
        return pid;
    }

    @Override
    public String name() {
        return name;
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

    @Override
    public int queued() {
        return backend.queued(this);
    }

    @Override
    public void close() {
        backend.close(this);
    }
}
