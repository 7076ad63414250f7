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
 * A private redis-server that wants a user and password, and also listens with TLS on a second
 * port (a self-signed certificate made with openssl; a PKCS12 trust store for the worker JVM).
 * TestRedis gives plain servers; this one exists only to show that authenticated and TLS URLs work.
 */
public final class SecureRedisServer implements AutoCloseable {

    public static final String USER = "worker";
    public static final String PASSWORD = "s3cret-pass";
    /** A user that may connect and count, nothing else: a worker under it lacks ACL permissions. */
    public static final String LIMITED = "limited";
    public static final String TRUST_PASSWORD = "changeit";

    private final Process process;
    private final int port;
    private final int tlsPort;
    private final Path trustStore;
    private final Path dir;

    private SecureRedisServer(Process process, int port, int tlsPort, Path trustStore) {
        this.dir = trustStore.getParent();
        this.process = process;
        this.port = port;
        this.tlsPort = tlsPort;
        this.trustStore = trustStore;
    }

    /**
     * @return a server with the users {@link #USER} (every right) and {@link #LIMITED}
     * @throws IOException when it cannot be set up
     * @throws InterruptedException when interrupted
     */
    public static SecureRedisServer start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /**
     * @param users more users, each the words of one {@code --user} option (name, {@code on}, {@code >password}, rules)
     * @return a server with {@link #USER}, {@link #LIMITED} and those users
     * @throws IOException when it cannot be set up
     * @throws InterruptedException when interrupted
     */
    public static SecureRedisServer start(List<List<String>> users) throws IOException, InterruptedException {
        Path exe = LocalRedisServer.findExecutable().orElseThrow(() -> new IllegalStateException("no redis-server on the PATH"));
        Path dir = Files.createTempDirectory("pp-secure-redis-");
        Path trust = makeCertificate(dir);
        int port = freePort();
        int tlsPort = freePort();
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--port", Integer.toString(port),
                "--tls-port", Integer.toString(tlsPort), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendonly", "no",
                "--tls-cert-file", dir.resolve("cert.pem").toString(), "--tls-key-file", dir.resolve("key.pem").toString(),
                "--tls-ca-cert-file", dir.resolve("cert.pem").toString(), "--tls-auth-clients", "no",
                "--user", "default", "off",
                "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all",
                "--user", LIMITED, "on", ">" + PASSWORD, "~*", "+@connection", "+incrby"));
        for (List<String> user : users) {
            cmd.add("--user");
            cmd.addAll(user);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        SecureRedisServer server = new SecureRedisServer(p, port, tlsPort, trust);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Redis probe = new Redis(server.url(), 1)) {
            while (!probe.ping()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("secure redis-server did not start; see " + dir.resolve("redis.log")
                            + ":\n" + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(20);
            }
        }
        return server;
    }

    /** @return the plain URL with user and password */
    public String url() {
        return "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port;
    }

    /**
     * @param user a user of this server
     * @param password its password
     * @return the plain URL for them
     */
    public String url(String user, String password) {
        return "redis://" + user + ":" + password + "@127.0.0.1:" + port;
    }

    /** @return the TLS URL with user and password */
    public String tlsUrl() {
        return "rediss://" + USER + ":" + PASSWORD + "@127.0.0.1:" + tlsPort;
    }

    /**
     * @param user a user of this server
     * @param password its password
     * @return the TLS URL for them
     */
    public String tlsUrl(String user, String password) {
        return "rediss://" + user + ":" + password + "@127.0.0.1:" + tlsPort;
    }

    /** @return JVM options that make a worker trust this server's certificate */
    public List<String> trustOptions() {
        return trustOptions(trustStore);
    }

    /**
     * @return JVM options that trust another self-signed certificate only, not this server's
     * @throws IOException when it cannot be made
     * @throws InterruptedException when interrupted
     */
    public List<String> wrongTrustOptions() throws IOException, InterruptedException {
        Path other = Files.createDirectories(dir.resolve("other"));
        return trustOptions(makeCertificate(other));
    }

    private static List<String> trustOptions(Path store) {
        return List.of("-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=" + TRUST_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** Makes a self-signed certificate for 127.0.0.1 in {@code dir} (cert.pem, key.pem) and a trust store holding it. */
    private static Path makeCertificate(Path dir) throws IOException, InterruptedException {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1");
        Path trust = dir.resolve("trust.p12");
        run(dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "redis", "-file", "cert.pem", "-keystore", trust.toString(), "-storetype", "PKCS12",
                "-storepass", TRUST_PASSWORD);
        return trust;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder; the OS cleans it eventually
        }
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
