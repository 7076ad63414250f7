package io.parametric.shared.testing;

import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.redis.Redis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} (or sentinel) process of a test group ({@link TestRedisCluster},
 * {@link TestRedisSentinel}) on a loopback port, with its own folder and configuration file; it
 * can be killed (SIGKILL, like a crash) and started again on the same port. Its password, if any,
 * is in the configuration file, never on a command line; {@link #cli} hands it to
 * {@code redis-cli} through {@code REDISCLI_AUTH}.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final Path config;
    private final String password;
    private final boolean sentinel;
    private Process process;

    private RedisProcess(int port, Path dir, Path config, String password, boolean sentinel) {
        this.port = port;
        this.dir = dir;
        this.config = config;
        this.password = password;
        this.sentinel = sentinel;
    }

    /**
     * Writes the configuration and starts the process, waiting until it answers PING.
     *
     * @param group the folder of its group
     * @param configuration lines of its configuration file besides port, bind and dir
     * @param password the {@code requirepass} in the configuration, or null for none (sentinels)
     * @param sentinel true to start it with {@code --sentinel}
     * @return the running process
     */
    static RedisProcess start(Path group, List<String> configuration, String password, boolean sentinel) {
        try {
            int port = freePort(configuration.contains("cluster-enabled yes"));
            Path dir = Files.createDirectories(group.resolve(Integer.toString(port)));
            Path config = dir.resolve(sentinel ? "sentinel.conf" : "redis.conf");
            List<String> lines = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "dir " + dir, "daemonize no"));
            if (!sentinel) {
                lines.addAll(List.of("save \"\"", "appendonly no"));
            }
            lines.addAll(configuration);
            Files.write(config, lines);
            RedisProcess p = new RedisProcess(port, dir, config, password, sentinel);
            p.launch();
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
    }

    /** @return its port */
    public int port() {
        return port;
    }

    /** @return {@code 127.0.0.1:<port>} */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** @return true while the process runs */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no final save, clients see their connections drop. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts it again on the same port, folder and configuration (as rewritten by Redis, if it did). */
    public synchronized void restart() {
        if (!isRunning()) {
            launch();
        }
    }

    /**
     * Runs {@code redis-cli} against it.
     *
     * @param args the command and its arguments
     * @return what it printed
     */
    public String cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        return run(cmd, password);
    }

    /**
     * Runs a command line with {@code REDISCLI_AUTH} set to the group's password.
     *
     * @param cmd the command
     * @param password the password, or null
     * @return its output
     * @throws IllegalStateException when it fails
     */
    static String run(List<String> cmd, String password) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (password != null) {
                pb.environment().put("REDISCLI_AUTH", password);
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void launch() {
        String exe = LocalRedisServer.findExecutable().orElseThrow(
                () -> new IllegalStateException("no redis-server on the PATH; install it (Debian: apt-get install redis-server)"))
                .toString();
        List<String> cmd = new ArrayList<>(List.of(exe, config.toString()));
        if (sentinel) {
            cmd.add("--sentinel");
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + exe + ": " + e.getMessage(), e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        String url = password == null ? "redis://127.0.0.1:" + port : "redis://:" + password + "@127.0.0.1:" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Redis probe = new Redis(url, 1)) {
            while (!probe.ping()) {
                if (!started.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server on port " + port + " did not answer; see " + dir.resolve("redis.log"));
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** @param clusterBus true when port + 10000 (the cluster bus) must be free as well */
    private static int freePort(boolean clusterBus) throws IOException {
        for (int tries = 0; tries < 100; tries++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (!clusterBus) {
                    return port;
                }
                if (port + 10000 <= 65535) {
                    try (ServerSocket bus = new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
                        return port;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            }
        }
        throw new IOException("no free loopback port with a free cluster bus port (port + 10000)");
    }
}
