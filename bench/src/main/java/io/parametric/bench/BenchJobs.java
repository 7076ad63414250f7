package io.parametric.bench;

import static io.parametric.manager.ParametricProcesses.newJob;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs the benchmark places: a no-op lambda (what every throughput and latency figure runs)
 * and a gate that holds a worker busy until the benchmark opens it, so jobs can be queued
 * behind it (bulk placement, worker-only drain, the million-job scenario).
 *
 * <pre>{@code
 * String gates = BenchJobs.closeGates(manager, manager.workerPids());
 * manager.distribute(Collections.nCopies(100_000, BenchJobs.noOp()));   // queued behind the gates
 * BenchJobs.openGates(manager, gates, manager.workerPids());
 * }</pre>
 */
final class BenchJobs {

    /** The shared value a gate job waits for, followed by its closing's number, a dash and its worker's pid. */
    static final String GATE = "pp-bench-gate-";

    /** Numbers each closing of gates. */
    private static final java.util.concurrent.atomic.AtomicInteger CLOSINGS = new java.util.concurrent.atomic.AtomicInteger();

    private static final Duration GATE_START_TIMEOUT = Duration.ofSeconds(60);

    private BenchJobs() {}

    /**
     * Waits until submitted jobs are in the fleet ({@code submit} returns before its batch is sent).
     *
     * @param futures the jobs' futures
     * @throws IllegalStateException when a placement failed
     */
    static void awaitPlaced(List<? extends JobFuture<?>> futures) {
        for (JobFuture<?> f : futures) {
            while (!f.isPlaced()) {
                if (f.isDone()) {
                    throw new IllegalStateException("job " + f.jobId() + " was not placed: " + f.handle((r, e) -> e).join());
                }
                // JobFuture has no placement event; a short park, not a spin, leaves the cores to the placer and Redis.
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
    }

    /** @return a job that does nothing (one instance, placed many times: each placement is its own job) */
    static ProcessJob noOp() {
        return newJob(() -> { });
    }

    /**
     * Puts a gate job on each worker and returns once each is running, so every job placed on those
     * workers afterwards stays queued until {@link #openGates}. Each closing has its own gate name,
     * so workers can be held again after their gates opened.
     *
     * @param manager the manager
     * @param pids the workers to hold
     * @return the gates' name, for {@link #openGates}
     */
    static String closeGates(ProcessManager manager, List<Long> pids) {
        String name = GATE + CLOSINGS.incrementAndGet() + "-";
        List<JobFuture<Object>> gates = new ArrayList<>();
        for (long pid : pids) {
            gates.add(manager.submit(pid, newJob(BenchJobs::awaitGate, name)));
        }
        long deadline = System.nanoTime() + GATE_START_TIMEOUT.toNanos();
        for (JobFuture<Object> gate : gates) {
            while (gate.pid() == null) {
                if (gate.isDone() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("gate job " + gate.jobId() + " did not start within "
                            + GATE_START_TIMEOUT.toSeconds() + " s" + (gate.isDone() ? " (it ended: " + gate.handle((r, e) -> e).join() + ")" : ""));
                }
                sleep(20); // JobFuture has no start event: poll its pid
            }
        }
        return name;
    }

    /**
     * Lets the gate jobs on these workers finish.
     *
     * @param manager the manager
     * @param gates the gates' name, from {@link #closeGates}
     * @param pids the workers
     */
    static void openGates(ProcessManager manager, String gates, List<Long> pids) {
        pids.forEach(pid -> manager.put(gates + pid, Boolean.TRUE));
    }

    /**
     * The gate's body: runs on a worker until its value is set.
     *
     * @param gates the gates' name
     * @return null
     */
    static Object awaitGate(String gates) throws InterruptedException {
        JobContext ctx = JobContext.current();
        while (ctx.fetch(gates + ctx.pid(), Boolean.class) == null) {
            Thread.sleep(5); // a job cannot subscribe to a shared value: poll it
        }
        return null;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
