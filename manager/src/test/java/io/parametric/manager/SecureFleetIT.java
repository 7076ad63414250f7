package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.SecureRedisServer;
import io.parametric.shared.testing.TestSecret;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A worker and a manager, each a JVM of its own, over TLS ({@code rediss://}, a self-signed
 * certificate made here) and under the minimal Redis ACL of SECURITY.md, read from that file.
 */
class SecureFleetIT {

    private static final String FLEET = "acl";
    private static final String APP = "io.parametric.manager.testjobs";
    private final List<Process> started = new ArrayList<>();

    /** The ACL rules of SECURITY.md's fenced {@code ACL SETUSER} line, for the fleet {@value #FLEET}. */
    private static List<String> documentedAcl() throws Exception {
        String doc = Files.readString(Path.of("..", "SECURITY.md"));
        Matcher m = Pattern.compile("ACL SETUSER pp on >\\S+ (.+)").matcher(doc);
        assertThat(m.find()).as("SECURITY.md has the ACL SETUSER line").isTrue();
        return Arrays.stream(m.group(1).trim().split("\\s+")).map(r -> r.replace("<fleet>", FLEET)).toList();
    }

    private Process java(List<String> jvmOptions, String url, String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PP_"));
        pb.environment().put("PP_REDIS_URL", url);
        TestSecret.passTo(pb.environment());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** @return the first line starting with one of the prefixes, and everything printed before it */
    private static String awaitLine(Process p, String... prefixes) throws Exception {
        CompletableFuture<String> found = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    for (String prefix : prefixes) {
                        if (line.startsWith(prefix)) {
                            found.complete(line);
                        }
                    }
                }
            } catch (Exception e) {
                // the process ended
            }
            found.complete("(ended)");
        });
        reader.setDaemon(true);
        reader.start();
        String line = found.get(90, TimeUnit.SECONDS);
        synchronized (seen) {
            return line + "\n" + seen;
        }
    }

    private void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aWorkerAndAManagerWorkUnderTheDocumentedAclAndAnotherFleetsKeysAreRefused() throws Exception {
        List<String> user = new ArrayList<>(List.of("pp", "on", ">pp-secret-1"));
        user.addAll(documentedAcl());
        try (SecureRedisServer redis = SecureRedisServer.start(List.of(user))) {
            String url = redis.url("pp", "pp-secret-1");
            Process worker = java(List.of(), url, "io.parametric.worker.WorkerMain", "--fleet", FLEET, "--allow", APP, "--announce");
            assertThat(awaitLine(worker, "PP_READY", "parametric-worker:")).startsWith("PP_READY");
            Process manager = java(List.of(), url, "io.parametric.manager.testjobs.SecureManagerMain", FLEET);
            String out = awaitLine(manager, "OK", "FAILED");
            assertThat(out).startsWith("OK [42, 1, 42, 2, 42, 3] workers=1");
            try (Redis admin = new Redis(redis.url(), 1)) {
                System.out.println("[measured] commands the worker and manager used: " + usedCommands(admin.info("commandstats")));
            }
            Process otherFleet = java(List.of(), url, "io.parametric.worker.WorkerMain", "--fleet", "other", "--allow", APP);
            assertThat(awaitLine(otherFleet, "parametric-worker:")).contains("NOPERM").contains("exit status 78");
        } finally {
            stopAll();
        }
    }

    @Test
    void workerAndManagerSpeakTlsAndAWrongCertificateIsRefused() throws Exception {
        try (SecureRedisServer redis = SecureRedisServer.start()) {
            String url = redis.tlsUrl();
            Process worker = java(redis.trustOptions(), url, "io.parametric.worker.WorkerMain", "--fleet", "tls", "--allow", APP,
                    "--announce");
            assertThat(awaitLine(worker, "PP_READY", "parametric-worker:")).startsWith("PP_READY");
            Process manager = java(redis.trustOptions(), url, "io.parametric.manager.testjobs.SecureManagerMain", "tls");
            assertThat(awaitLine(manager, "OK", "FAILED")).startsWith("OK [42, 1, 42, 2, 42, 3]")
                    .doesNotContain(SecureRedisServer.PASSWORD);
            Process impostor = java(redis.wrongTrustOptions(), url, "io.parametric.manager.testjobs.SecureManagerMain", "tls");
            assertThat(awaitLine(impostor, "OK", "FAILED")).startsWith("FAILED").contains("does not answer")
                    .doesNotContain(SecureRedisServer.PASSWORD);
        } finally {
            stopAll();
        }
    }

    private static List<String> usedCommands(String commandStats) {
        List<String> used = new ArrayList<>();
        Matcher m = Pattern.compile("cmdstat_([a-z|_-]+):calls=(\\d+)").matcher(commandStats);
        while (m.find()) {
            used.add(m.group(1));
        }
        used.sort(null);
        return used;
    }
}
