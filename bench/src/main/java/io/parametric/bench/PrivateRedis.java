package io.parametric.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A {@code redis-server} of the benchmark's own on a free loopback port, without persistence and
 * with a random password, so every figure is measured on an otherwise empty Redis. Closing it
 * stops the server.
 *
 * <pre>{@code
 * try (PrivateRedis redis = PrivateRedis.start()) { run(redis.url()); }
 * }</pre>
 */
final class PrivateRedis implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final String url;

    private PrivateRedis(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * @return a started server that answers PING
     * @throws IllegalStateException when there is no {@code redis-server} or it does not start
     */
    static PrivateRedis start() {
        return start(password(), "");
    }

    /**
     * @param password the server's password
     * @param extraConfig more configuration lines (each ending with a newline), e.g. for a cluster node
     * @return a started server that answers PING
     * @throws IllegalStateException when there is no {@code redis-server} or it does not start
     */
    static PrivateRedis start(String password, String extraConfig) {
        String executable = executable();
        int port = freePort();
        Process p;
        try {
            // The password goes in by standard input ("-"), never on a command line other users can read.
            p = new ProcessBuilder(List.of(executable, "-"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (java.io.Writer config = new java.io.OutputStreamWriter(p.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8)) {
                config.write("port " + port + "\nbind 127.0.0.1\nsave \"\"\nappendonly no\nrequirepass " + password + "\n"
                        + extraConfig);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable + ": " + e.getMessage(), e);
        }
        PrivateRedis redis = new PrivateRedis(p, "redis://:" + password + "@127.0.0.1:" + port);
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "pp-bench-redis-stop"));
        redis.awaitReady();
        return redis;
    }

    /** @return its loopback port */
    int port() {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** @return its URL, {@code redis://:<random password>@127.0.0.1:<port>} */
    String url() {
        return url;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with status " + process.exitValue()
                        + " at start; run it by hand to see why, or pass --redis URL");
            }
            try (Jedis j = Connections.open(url, 1000)) {
                j.ping();
                return;
            } catch (JedisConnectionException e) {
                pause();
            }
        }
        close();
        throw new IllegalStateException("redis-server did not answer PING within " + READY_TIMEOUT.toSeconds()
                + " s; the machine may be overloaded, or pass --redis URL");
    }

    private static void pause() {
        try {
            Thread.sleep(50); // the server is starting: a retry interval, not a wait for an event we could observe
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redis-server was starting", e);
        }
    }

    private static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
            return "/usr/bin/redis-server";
        }
        throw new IllegalStateException("no redis-server on the PATH: install it (Debian: apt-get install redis-server) "
                + "or point the benchmark at a Redis with --redis redis://host:6379");
    }

    /** @return a random password */
    static String password() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port for redis-server: " + e.getMessage(), e);
        }
    }

    /** Stops the server (idempotent). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
