package io.parametric.bench;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.protocol.FleetSecret;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A standalone worker JVM ({@code io.parametric.worker.WorkerMain} on this JVM's classpath,
 * configured by its documented environment) that the benchmark can pause, terminate or kill by
 * signal, which a worker spawned by {@code processes(n)} would be replaced after. Output goes to
 * a log file named in errors.
 *
 * <pre>{@code
 * try (WorkerProcess w = WorkerProcess.start(url, fleet, 50, Map.of())) {
 *     List<Long> pids = w.awaitSlots(manager, Duration.ofSeconds(90));
 *     w.signal("STOP");
 * }
 * }</pre>
 */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int slots;

    private WorkerProcess(Process process, Path log, int slots) {
        this.process = process;
        this.log = log;
        this.slots = slots;
    }

    /**
     * @param redisUrl the fleet's Redis
     * @param fleet the fleet
     * @param slots worker slots in the process
     * @param extraEnv more settings (e.g. {@code PP_LEASE})
     * @return the started process (not yet registered)
     */
    static WorkerProcess start(String redisUrl, String fleet, int slots, Map<String, String> extraEnv) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.parametric.worker.WorkerMain"));
        try {
            Path log = Files.createTempFile("pp-bench-worker-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("PP_REDIS_URL", redisUrl);
            FleetSecret.required().passTo(env);
            env.put("PP_FLEET", fleet);
            env.put("PP_SLOTS", Integer.toString(slots));
            env.put("PP_NAME", "bench");
            env.put("PP_ALLOW", "io.parametric.bench");
            env.putAll(extraEnv);
            WorkerProcess w = new WorkerProcess(builder.start(), log, slots);
            Runtime.getRuntime().addShutdownHook(new Thread(w::close, "pp-bench-worker-stop"));
            return w;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until this process's slots are listed by a {@code connect()} manager.
     *
     * @param manager a manager connected to the fleet
     * @param known pids listed before this process started
     * @param timeout how long to wait
     * @return the new slots' pids, ascending
     */
    List<Long> awaitSlots(ProcessManager manager, Set<Long> known, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Long> fresh = new HashSet<>(manager.workerPids());
            fresh.removeAll(known);
            if (fresh.size() >= slots) {
                return fresh.stream().sorted().toList();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker JVM exited with status " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(fresh.size() + " of " + slots + " worker slots registered within "
                        + timeout.toSeconds() + " s; see " + log);
            }
            BenchJobs.sleep(100); // registration has no event a connect() manager can wait on
        }
    }

    /**
     * Sends a signal with {@code kill}.
     *
     * @param name {@code STOP}, {@code CONT}, {@code TERM} or {@code KILL}
     */
    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed with status " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill: " + e.getMessage() + " (the scenario needs a POSIX kill)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling a worker", e);
        }
    }

    /**
     * @param timeout how long to wait
     * @return the exit status
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the worker JVM did not exit within " + timeout.toSeconds() + " s; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a worker to exit", e);
        }
    }

    /** @return the file its output goes to */
    File log() {
        return log.toFile();
    }

    /** Kills the process if it still runs (resuming it first if paused). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
