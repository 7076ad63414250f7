package io.parametric.shared.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A private {@code redis-server} on a free loopback port, owned by whoever started it: the
 * manager when no Redis is configured, and tests. It binds 127.0.0.1 only and requires a random
 * password (32 bytes from {@link SecureRandom}), written to a configuration file only its owner
 * can read, never on a command line; other local users cannot reach the fleet through it. It can
 * be stopped and started again on the same port, password and data folder, with AOF, to play a
 * Redis restart.
 */
public final class LocalRedisServer implements AutoCloseable {

    private final Path executable;
    private final int port;
    private final Path dir;
    private final boolean appendOnly;
    private final String password;
    private Process process;

    private LocalRedisServer(Path executable, int port, Path dir, boolean appendOnly) {
        this.executable = executable;
        this.port = port;
        this.dir = dir;
        this.appendOnly = appendOnly;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.password = HexFormat.of().formatHex(random);
    }

    /**
     * @return the {@code redis-server} found on the PATH (or in /usr/sbin, /usr/bin), if any
     */
    public static Optional<Path> findExecutable() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        return dirs.stream()
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts a private server and waits until it answers.
     *
     * @param appendOnly true to turn AOF on ({@code appendfsync always}), so a restart keeps every write
     * @return the running server
     * @throws IllegalStateException when no {@code redis-server} is installed or it does not start
     */
    public static LocalRedisServer start(boolean appendOnly) {
        Path exe = findExecutable().orElseThrow(() -> new IllegalStateException(
                "no redis-server on the PATH; install it (Debian: apt-get install redis-server)"));
        try {
            LocalRedisServer server = new LocalRedisServer(
                    exe, freePort(), Files.createTempDirectory("pp-redis-"), appendOnly);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
    }

    /**
     * @return {@code redis://:<password>@127.0.0.1:<port>}: pass it on through the environment,
     *     print it only through {@link RedisUrl#redact}
     */
    public String url() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    /** @return the port it listens on */
    public int port() {
        return port;
    }

    /** @return true while the server process runs */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (SIGKILL: no final save, like a crash). */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
        }
    }

    /** Starts the server again on the same port and data folder (after {@link #kill}). */
    public synchronized void restart() {
        if (isRunning()) {
            return;
        }
        try {
            startProcess();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart redis-server: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroy();
            waitFor(process);
            process = null;
        }
    }

    private void startProcess() throws IOException {
        Path config = dir.resolve("redis.conf");
        if (!Files.exists(config)) {
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, "requirepass " + password + "\n");
        }
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), config.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--daemonize", "no", "--protected-mode", "yes",
                "--maxmemory-policy", "noeviction"));
        if (appendOnly) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        try (Redis probe = new Redis(url(), 1)) {
            while (!probe.ping()) {
                if (!started.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IOException("redis-server on port " + port + " did not answer; see " + dir.resolve("redis.log"));
                }
                sleep(Duration.ofMillis(20));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
