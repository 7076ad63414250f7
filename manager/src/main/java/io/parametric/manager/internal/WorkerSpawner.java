package io.parametric.manager.internal;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.redis.Durability;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Spawns worker JVMs on this host with the manager's classpath — the analogue of Julia's
 * {@code addprocs} plus {@code @everywhere using} — and waits until each has announced its
 * registered slot ({@code PP_READY <pid> <name>} on its standard output). The workers admit the
 * application's packages ({@link SpawnedAllowlist}: {@code pp.worker.allow}, else the packages
 * of the class-path folders and of the {@code java -jar} jar), never every class. Everything else
 * a worker prints is forwarded to the manager's logging under the worker's name ({@link WorkerOutput}).
 */
public final class WorkerSpawner {

    /** How long spawned workers get to register; {@code pp.worker.readyTimeout} (seconds) overrides. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("pp.worker.readyTimeout", 90));
    private static final int TAIL_LINES = 40;

    private WorkerSpawner() {}

    /**
     * One spawned worker JVM with one slot.
     *
     * @param process the OS process
     * @param pid the slot's fleet pid
     * @param name the slot's name
     * @param output the last lines it printed
     */
    public record Spawned(Process process, long pid, String name, OutputTail output) {}

    /**
     * Starts n worker JVMs in parallel, one slot each, and returns when all have registered.
     *
     * @param redisUrl the Redis the workers use
     * @param privateRedis true when it is the manager's private redis-server (the workers then do
     *     not warn about its durability settings)
     * @param fleet the fleet they join
     * @param secret the fleet secret, given to them in their environment
     * @param names exact names, empty for the default {@code worker-<pid>}
     * @param n how many
     * @return the workers, in the order of {@code names} (their pids ascending in that order), else of start
     * @throws ProcessError TIMEOUT or WORKER_LOST with the output of the worker that did not get ready
     */
    public static List<Spawned> spawn(String redisUrl, boolean privateRedis, String fleet, FleetSecret secret, int n,
                                      List<String> names) {
        List<Process> processes = new ArrayList<>();
        List<OutputTail> tails = new ArrayList<>();
        List<CompletableFuture<String[]>> ready = new ArrayList<>();
        try {
            List<Spawned> spawned = new ArrayList<>();
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            for (int i = 0; i < n; i++) {
                Process p = start(command(redisUrl, privateRedis, fleet, secret, names.isEmpty() ? null : names.get(i)));
                processes.add(p);
                OutputTail tail = new OutputTail(TAIL_LINES);
                tails.add(tail);
                ready.add(tail.follow(p));
                if (!names.isEmpty()) {
                    // Named workers start one after another so the pids follow the order of the names
                    // (a pid is taken when a worker registers); unnamed ones start all at once.
                    String[] announced = await(ready.get(i), deadline, p, tail);
                    spawned.add(new Spawned(p, Long.parseLong(announced[1]), announced[2], tail));
                }
            }
            for (int i = spawned.size(); i < n; i++) {
                String[] announced = await(ready.get(i), deadline, processes.get(i), tails.get(i));
                spawned.add(new Spawned(processes.get(i), Long.parseLong(announced[1]), announced[2], tails.get(i)));
            }
            return spawned;
        } catch (RuntimeException e) {
            processes.forEach(Process::destroyForcibly);
            throw e;
        }
    }

    private static String[] await(CompletableFuture<String[]> ready, long deadline, Process p, OutputTail tail) {
        try {
            return ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ProcessError(Reason.TIMEOUT,
                    "a spawned worker (OS pid " + p.pid() + ") did not register within " + READY_TIMEOUT.toSeconds()
                            + "s; the machine may be overloaded or the worker cannot reach Redis (raise -Dpp.worker.readyTimeout=SECONDS). "
                            + "Its last output:\n" + tail.text());
        } catch (ExecutionException e) {
            throw new ProcessError(Reason.WORKER_LOST,
                    "a spawned worker (OS pid " + p.pid() + ") exited before it registered"
                            + exitCode(p) + "; check the classpath (pp.worker.classpath) and JVM options (pp.worker.jvmOptions). "
                            + "Its last output:\n" + tail.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessError(Reason.TIMEOUT, "interrupted while waiting for spawned workers to register", e);
        }
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(2, TimeUnit.SECONDS) ? " with status " + p.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The command of one spawned worker JVM: {@code -XX:+ExitOnOutOfMemoryError}, then
     * {@code pp.worker.jvmOptions} (which may turn it off again with
     * {@code -XX:-ExitOnOutOfMemoryError}), the classpath and the worker's flags; its environment
     * carries the Redis URL, the fleet secret, the fleet and the allowed packages.
     *
     * @param redisUrl the Redis the worker uses
     * @param privateRedis true when it is the manager's private redis-server
     * @param fleet the fleet it joins
     * @param secret the fleet secret
     * @param exactName its name, or null for {@code worker-<pid>}
     * @return the process to start
     */
    static ProcessBuilder command(String redisUrl, boolean privateRedis, String fleet, FleetSecret secret, String exactName) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Any OutOfMemoryError, in a job or in the worker's own threads, ends the JVM at once
        // (status 3): a worker never lingers half-broken; its jobs are handed on and the
        // manager starts another.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(jvmOptions());
        String classpath = classpath();
        command.add("-cp");
        command.add(classpath);
        command.add("io.parametric.worker.WorkerMain");
        command.addAll(List.of("--fleet", fleet, "--slots", "1", "--announce",
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        if (privateRedis) {
            command.add("--private-redis");
        }
        if (exactName != null) {
            command.addAll(List.of("--exact-name", exactName));
        } else {
            command.addAll(List.of("--name", "worker"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // The URL and the secret go by environment, not flag, so they do not show in `ps`.
        env.put("PP_REDIS_URL", redisUrl);
        secret.passTo(env);
        env.put("PP_FLEET", fleet);
        env.put("PP_WORKER", "1");
        // The manager's durability (pp.durability or PP_DURABILITY) holds for the workers it starts.
        env.put(Durability.ENV, Durability.configured().setting());
        // Never every class: the application's own packages (SpawnedAllowlist), or none.
        String allow = SpawnedAllowlist.prefixes(classpath);
        if (allow.isEmpty()) {
            env.remove("PP_ALLOW");
        } else {
            env.put("PP_ALLOW", allow);
        }
        return builder;
    }

    private static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "cannot start a worker JVM (" + builder.command().get(0) + "): " + e.getMessage()
                            + "; check java.home and pp.worker.jvmOptions", e);
        }
    }

    /**
     * The workers' classpath: {@code pp.worker.classpath} when set, else the class-path entries of
     * the context class loader's chain (so a manager run by {@code mvn exec:java} or a plugin
     * host passes on its application classes) followed by {@code java.class.path}.
     */
    static String classpath() {
        String explicit = System.getProperty("pp.worker.classpath");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader urls) {
                for (java.net.URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                            // not a plain file entry: the workers cannot use it either
                        }
                    }
                }
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static List<String> jvmOptions() {
        String options = System.getProperty("pp.worker.jvmOptions");
        if (options == null) {
            return WorkerJit.options();
        }
        return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }

    /** The last lines a child printed, kept while a thread drains its output so it never blocks. */
    public static final class OutputTail {
        private final int max;
        private final Deque<String> lines = new ArrayDeque<>();

        OutputTail(int max) {
            this.max = max;
        }

        CompletableFuture<String[]> follow(Process p) {
            CompletableFuture<String[]> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                WorkerOutput output = new WorkerOutput("os-" + p.pid());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!ready.isDone() && line.startsWith("PP_READY ")) {
                            String[] parts = line.trim().split(" ", 3);
                            if (parts.length == 3) {
                                output = new WorkerOutput(parts[2]);
                                ready.complete(parts);
                                continue;
                            }
                        }
                        add(line);
                        output.forward(line);
                    }
                } catch (IOException e) {
                    add("(output unreadable: " + e.getMessage() + ")");
                }
                ready.completeExceptionally(new IllegalStateException("exited"));
            }, "pp-worker-output-" + p.pid());
            reader.setDaemon(true);
            reader.start();
            return ready;
        }

        private synchronized void add(String line) {
            lines.addLast(line);
            if (lines.size() > max) {
                lines.removeFirst();
            }
        }

        /** @return the kept lines, or a note that there were none */
        public synchronized String text() {
            return lines.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", lines);
        }
    }
}
