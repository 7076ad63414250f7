package io.parametric.faults;

import io.parametric.shared.testing.TestSecret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One real worker JVM ({@code io.parametric.worker.WorkerMain}) started by a fault scenario, with
 * the test classpath (so it can run the scenario's jobs), and the signals the scenarios send it:
 * SIGKILL, SIGTERM, SIGSTOP and SIGCONT. Its output goes to a log file under
 * {@code target/fault-logs}.
 */
final class WorkerProcess implements AutoCloseable {

    /** Heartbeat and lease of the scenarios' workers: short, so a dead worker is found in seconds. */
    static final Duration HEARTBEAT = Duration.ofMillis(500);

    /** See {@link #HEARTBEAT}. */
    static final Duration LEASE = Duration.ofSeconds(3);

    private final Process process;
    private final Path log;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The fault tests' own package: their jobs run, nothing else. */
    static final String ALLOW = "io.parametric.faults";

    /**
     * Starts a one-slot worker and waits until it announced its pid.
     *
     * @param redisUrl the Redis
     * @param fleet the fleet
     * @param name the worker's name prefix
     * @param environment variables to set for it (e.g. PP_DURABILITY)
     * @param extraFlags further WorkerMain flags
     * @return the running worker
     */
    static WorkerProcess start(String redisUrl, String fleet, String name, Map<String, String> environment, String... extraFlags) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                "io.parametric.worker.WorkerMain",
                "--redis", redisUrl, "--fleet", fleet, "--slots", "1", "--name", name, "--allow", ALLOW,
                "--heartbeat", HEARTBEAT.toMillis() + "ms", "--lease", LEASE.toSeconds() + "s",
                "--shutdown-timeout", "10s", "--announce"));
        cmd.addAll(List.of(extraFlags));
        try {
            Path dir = Files.createDirectories(Path.of("target", "fault-logs"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove("PP_FLEET");
            TestSecret.passTo(pb.environment());
            pb.environment().putAll(environment);
            Process p = pb.start();
            WorkerProcess w = new WorkerProcess(p, dir.resolve(fleet + "-" + name + "-" + p.pid() + ".log"));
            w.pumpOutput();
            w.ready.get(60, TimeUnit.SECONDS);
            return w;
        } catch (Exception e) {
            throw new IllegalStateException("worker '" + name + "' did not start: " + e, e);
        }
    }

    private void pumpOutput() throws IOException {
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (line.startsWith("PP_READY ") && !ready.isDone()) {
                        ready.complete(Long.parseLong(line.split(" ")[1]));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone
            } finally {
                out.close();
                ready.completeExceptionally(new IllegalStateException("worker exited before it was ready; see " + log));
            }
        }, "worker-output-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    /** @return the worker's fleet pid */
    long pid() {
        return ready.join();
    }

    /** @return the OS process id */
    long osPid() {
        return process.pid();
    }

    /** @return true while the JVM runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no hand-back; the reaper must find it. */
    void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: the worker's graceful shutdown. */
    void terminate() {
        process.destroy();
    }

    /** SIGSTOP: frozen, heartbeats stop, the process keeps its state. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    void thaw() {
        signal("CONT");
    }

    /**
     * @param timeout how long to wait
     * @return the exit status, or null when it still runs
     */
    Integer waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** @return the worker's output so far */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            signal("CONT");
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }
}
