package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.SecureRedisServer;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import io.parametric.worker.testjobs.Jobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A worker that cannot go on ends with one line and a documented non-zero status, never 0. */
class FatalExitIT {

    /** Runs a worker with the tests' secret that is expected to exit on its own; returns its status and output. */
    private static Map.Entry<Integer, String> runToExitWith(String url, String fleet) throws Exception {
        return runToExitWith(url, fleet, Map.of("PP_SECRET", TestSecret.VALUE));
    }

    /** Runs a worker with these secret settings that is expected to exit on its own. */
    private static Map.Entry<Integer, String> runToExitWith(String url, String fleet, Map<String, String> secret)
            throws Exception {
        return runToExitWith(url, fleet, secret, List.of());
    }

    /** Runs a worker with these secret settings and JVM options that is expected to exit on its own. */
    private static Map.Entry<Integer, String> runToExitWith(String url, String fleet, Map<String, String> secret,
                                                           List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.parametric.worker.WorkerMain", "--fleet", fleet));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PP_"));
        pb.environment().put("PP_REDIS_URL", url);
        pb.environment().putAll(secret);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
            return Map.entry(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aWorkerWithoutAUsableSecretEndsWithStatus78SayingHowToSetOne() throws Exception {
        var none = runToExitWith(TestRedis.url(), "f", Map.of());
        assertThat(none.getKey()).as(none.getValue()).isEqualTo(FatalExit.NO_SECRET);
        assertThat(none.getValue()).contains("no fleet secret: set PP_SECRET", "PP_SECRET_FILE", "PP_INSECURE=1")
                .doesNotContain("\tat ");
        var unreadable = runToExitWith(TestRedis.url(), "f", Map.of("PP_SECRET_FILE", "/no/such/pp-secret"));
        assertThat(unreadable.getKey()).as(unreadable.getValue()).isEqualTo(FatalExit.NO_SECRET);
        assertThat(unreadable.getValue()).contains("/no/such/pp-secret named by PP_SECRET_FILE").doesNotContain("\tat ");
        var tooShort = runToExitWith(TestRedis.url(), "f", Map.of("PP_SECRET", "fifteen-chars!!"));
        assertThat(tooShort.getKey()).as(tooShort.getValue()).isEqualTo(FatalExit.NO_SECRET);
        assertThat(tooShort.getValue()).contains("15 characters, fewer than 16").doesNotContain("fifteen-chars!!");
    }

    @Test
    void wrongPasswordMissingAclPermissionAndWrongKeyTypeEndTheWorkerWithStatus78AndOneLine() throws Exception {
        try (SecureRedisServer redis = SecureRedisServer.start()) {
            var wrongPassword = runToExitWith(redis.url(SecureRedisServer.USER, "not-the-password"), "f");
            assertThat(wrongPassword.getKey()).as(wrongPassword.getValue()).isEqualTo(FatalExit.REDIS_REFUSED);
            assertThat(wrongPassword.getValue()).contains("refused the worker's credentials (WRONGPASS)")
                    .doesNotContain("Exception", "\tat ", "not-the-password");
            var noPermission = runToExitWith(redis.url(SecureRedisServer.LIMITED, SecureRedisServer.PASSWORD), "f");
            assertThat(noPermission.getKey()).as(noPermission.getValue()).isEqualTo(FatalExit.REDIS_REFUSED);
            assertThat(noPermission.getValue()).contains("NOPERM").contains("SECURITY.md")
                    .doesNotContain("\tat ", SecureRedisServer.PASSWORD);
        }
        String fleet = TestRedis.uniqueFleet("wrongtype");
        try (Redis redis = new Redis(TestRedis.url(), 1)) {
            redis.hset(new FleetKeys(fleet).pidCounter(), Map.of("not", "a counter"));
            var wrongType = runToExitWith(TestRedis.url(), fleet);
            assertThat(wrongType.getKey()).as(wrongType.getValue()).isEqualTo(FatalExit.REDIS_REFUSED);
            assertThat(wrongType.getValue()).contains("WRONGTYPE").contains("use another fleet name").doesNotContain("\tat ");
        }
    }

    @Test
    void aTlsCertificateTheWorkerDoesNotTrustEndsItWithStatus78AndOneLineInsteadOfWaitingForRedis() throws Exception {
        try (SecureRedisServer redis = SecureRedisServer.start()) {
            var untrusted = runToExitWith(redis.tlsUrl(), "f", Map.of("PP_SECRET", TestSecret.VALUE), redis.wrongTrustOptions());
            assertThat(untrusted.getKey()).as(untrusted.getValue()).isEqualTo(FatalExit.REDIS_REFUSED);
            assertThat(untrusted.getValue()).contains("presented a TLS certificate this worker does not trust")
                    .contains("-Djavax.net.ssl.trustStore").contains("SECURITY.md")
                    .doesNotContain("\tat ", "WARN", "Redis is gone", SecureRedisServer.PASSWORD);
        }
    }

    @Test
    void aJobThatRunsTheHeapOutEndsTheWorkerWithStatus71AfterItsDeliveryWasCounted() throws Exception {
        String fleet = TestRedis.uniqueFleet("oom");
        try (TestManager manager = new TestManager(TestRedis.url(), fleet);
                WorkerProcess worker = WorkerProcess.start(TestRedis.url(), fleet, 1, List.of("-Xmx64m"),
                        "--allow", "io.parametric.worker.testjobs")) {
            String id = manager.place(worker.pid(), JobPayloads.lambda(Jobs.hog(), List.of()));
            assertThat(worker.awaitExit(Duration.ofSeconds(60))).as(worker.log()).isEqualTo(FatalExit.OUT_OF_MEMORY);
            assertThat(worker.log()).contains("parametric-worker: out of memory while running job " + id);
            assertThat(manager.record(id).deliveries()).isEqualTo(1);
        }
    }
}
