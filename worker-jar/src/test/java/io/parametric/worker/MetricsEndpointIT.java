package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.testing.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar with PP_METRICS_PORT: Prometheus text on /metrics with pp_* meters tagged by
 * fleet and type only, /health, and /ready that turns false while Redis is away.
 */
class MetricsEndpointIT {

    private static final Path JAR = Path.of(System.getProperty("pp.workerJar", "../worker/target/parametric-worker.jar"));
    private static final Path TEST_CLASSES = Path.of("..", "worker", "target", "test-classes");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesPrometheusTextHealthAndReadinessThatFollowsRedis() throws Exception {
        String fleet = TestRedis.uniqueFleet("metrics");
        int port = freePort();
        try (LocalRedisServer redis = LocalRedisServer.start(false);
             TestManager manager = new TestManager(redis.url(), fleet);
             WorkerProcess w = WorkerProcess.startJar(JAR.toAbsolutePath(), Map.of(
                     "PP_REDIS_URL", redis.url(), "PP_FLEET", fleet, "PP_NAME", "metrics",
                     "PP_JOBS", TEST_CLASSES.toAbsolutePath().toString(), "PP_METRICS_PORT", Integer.toString(port),
                     "PP_SHUTDOWN_TIMEOUT", "5s"), 1)) {
            manager.place(w.pid(), JobPayloads.type("add", List.of(40, 2)));
            manager.next();
            manager.place(w.pid(), JobPayloads.type("add", List.of(1, 2)));
            manager.next();

            HttpResponse<String> metrics = get(port, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("pp_jobs_completed_total{fleet=\"" + fleet + "\",type=\"add\"} 2.0")
                    .contains("pp_jobs_started_total{fleet=\"" + fleet + "\",type=\"add\"} 2.0")
                    .contains("pp_job_duration_seconds_count{fleet=\"" + fleet + "\",type=\"add\"} 2")
                    .contains("pp_worker_slots{fleet=\"" + fleet + "\"} 1.0")
                    .contains("jvm_memory_used_bytes")
                    .doesNotContain("pid=").doesNotContain("worker=");
            assertThat(busy(port)).isEqualTo("0.0");

            String sleeping = manager.place(w.pid(), JobPayloads.type("sleep", List.of(600_000L)));
            await().atMost(Duration.ofSeconds(30)).until(() -> busy(port).equals("1.0"));
            manager.fleet.cancel(sleeping, "the test saw it busy");
            assertThat(manager.outcomeOf(sleeping).reason()).isEqualTo("CANCELLED");
            // A job whose exception throws from getMessage(): its run ends the slot's job, never the slot.
            assertThat(manager.outcomeOf(manager.place(w.pid(), JobPayloads.type("unprintable", List.of()))).reason())
                    .isEqualTo("JOB_FAILED");
            assertThat(busy(port)).as("slots running a job after the last one ended").isEqualTo("0.0");
            assertThat(get(port, "/metrics").body()).contains("pp_jobs_failed_total{fleet=\"" + fleet + "\",type=\"unprintable\"} 1.0");
            assertThat(get(port, "/health").statusCode()).isEqualTo(200);
            assertThat(get(port, "/ready").statusCode()).isEqualTo(200);

            redis.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/ready").statusCode() == 503);
            assertThat(get(port, "/health").statusCode()).isEqualTo(200);
            redis.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/ready").statusCode() == 200);
        }
    }

    /** @return the value of pp_worker_busy */
    private static String busy(int port) throws IOException, InterruptedException {
        return get(port, "/metrics").body().lines().filter(l -> l.startsWith("pp_worker_busy{"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("missing");
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
