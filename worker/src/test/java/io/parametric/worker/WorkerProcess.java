package io.parametric.worker;

import io.parametric.shared.testing.TestSecret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real worker JVM for integration tests: {@code java -cp <test classpath> WorkerMain --announce ...}. */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final BlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final List<Long> pids = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("PP_READY ")) {
                        ready.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "worker-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a worker and waits until its slots announced themselves.
     *
     * @param redisUrl the Redis
     * @param fleet the fleet
     * @param slots how many slots
     * @param flags more flags
     * @return the running worker
     */
    static WorkerProcess start(String redisUrl, String fleet, int slots, String... flags) {
        return start(redisUrl, fleet, slots, List.of(), flags);
    }

    /**
     * Starts a worker JVM with extra JVM options and waits until its slots announced themselves.
     *
     * @param redisUrl the Redis
     * @param fleet the fleet
     * @param slots how many slots
     * @param jvmOptions options before the main class
     * @param flags more flags
     * @return the running worker
     */
    static WorkerProcess start(String redisUrl, String fleet, int slots, List<String> jvmOptions, String... flags) {
        return start(redisUrl, fleet, slots, jvmOptions, Map.of(), flags);
    }

    /**
     * Starts a worker JVM with extra JVM options and environment, and waits until its slots announced themselves.
     *
     * @param redisUrl the Redis
     * @param fleet the fleet
     * @param slots how many slots
     * @param jvmOptions options before the main class
     * @param environment PP_* variables to set (every other PP_* variable is removed; the tests'
     *     fleet secret is set unless these set one)
     * @param flags more flags
     * @return the running worker
     */
    static WorkerProcess start(String redisUrl, String fleet, int slots, List<String> jvmOptions,
                               Map<String, String> environment, String... flags) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                "io.parametric.worker.WorkerMain",
                "--redis", redisUrl, "--fleet", fleet, "--slots", Integer.toString(slots), "--announce"));
        if (!List.of(flags).contains("--heartbeat")) {
            cmd.addAll(List.of("--heartbeat", "500ms"));
        }
        cmd.addAll(List.of(flags));
        try {
            Path log = Files.createTempFile("pp-worker-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("PP_"));
            env.put("PP_WORKER", "1");
            TestSecret.passTo(env);
            env.putAll(environment);
            WorkerProcess w = new WorkerProcess(pb.start(), log);
            w.awaitReady(slots, Duration.ofSeconds(30));
            return w;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
        }
    }

    /**
     * Starts the runnable jar configured by environment only, and waits for its slots.
     *
     * @param jar the runnable jar
     * @param env the PP_* settings (the tests' fleet secret unless they set one)
     * @param slots how many slots it announces
     * @return the running worker
     */
    static WorkerProcess startJar(Path jar, Map<String, String> env, int slots) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--announce");
        try {
            Path log = Files.createTempFile("pp-worker-jar-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("PP_"));
            TestSecret.passTo(pb.environment());
            pb.environment().putAll(env);
            WorkerProcess w = new WorkerProcess(pb.start(), log);
            w.awaitReady(slots, Duration.ofSeconds(30));
            return w;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the worker jar: " + e.getMessage(), e);
        }
    }

    private void awaitReady(int slots, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pids.size() < slots) {
            String line;
            try {
                line = ready.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (line == null) {
                throw new IllegalStateException("worker did not announce " + slots + " slot(s) in " + timeout
                        + " (alive: " + process.isAlive() + "); its log:\n" + log());
            }
            String[] parts = line.split(" ", 3);
            pids.add(Long.parseLong(parts[1]));
            names.add(parts[2]);
        }
    }

    /** @return the slots' pids in announcement order */
    List<Long> pids() {
        return pids;
    }

    /** @return the first slot's pid */
    long pid() {
        return pids.get(0);
    }

    /** @return the slots' names */
    List<String> names() {
        return names;
    }

    /** @return the OS process */
    Process process() {
        return process;
    }

    /** Sends SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /**
     * @param timeout how long to wait
     * @return the exit status
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("worker did not exit within " + timeout + "; its log:\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return what the worker logged so far */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

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
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file; the OS cleans it eventually
        }
    }
}
