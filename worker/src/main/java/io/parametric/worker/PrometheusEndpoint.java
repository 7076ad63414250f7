package io.parametric.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's own metrics on {@code PP_METRICS_PORT}: Prometheus text on {@code /metrics},
 * liveness on {@code /health} (200 while the process serves), readiness on {@code /ready} (503
 * while Redis does not answer). Job meters are named {@code pp.*} and tagged by fleet and job
 * type (the registered type, else the lambda's or record's class), never by worker.
 */
final class PrometheusEndpoint implements JobObserver {

    private static final Logger log = LoggerFactory.getLogger(PrometheusEndpoint.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BooleanSupplier redisAnswers;
    private final Tags fleetTag;

    private PrometheusEndpoint(String fleet, BooleanSupplier redisAnswers, int slots, IntSupplier busySlots) {
        this.redisAnswers = redisAnswers;
        this.fleetTag = Tags.of("fleet", fleet);
        Gauge.builder("pp.worker.slots", () -> slots).tags(fleetTag).description("worker slots in this process").register(registry);
        // Read from the slots, not counted from start and end calls: a run that throws cannot leave it high.
        Gauge.builder("pp.worker.busy", busySlots::getAsInt).tags(fleetTag).description("slots running a job now").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * @param fleet the worker's fleet name
     * @param redisAnswers true while Redis answers (readiness)
     * @param slots how many slots the process runs
     * @param busySlots how many of them run a job now
     * @param port the port to serve on (all interfaces: a scraper reaches it from outside)
     * @return the running endpoint
     * @throws IllegalArgumentException when the port cannot be bound
     */
    static PrometheusEndpoint start(String fleet, BooleanSupplier redisAnswers, int slots, IntSupplier busySlots, int port) {
        PrometheusEndpoint endpoint = new PrometheusEndpoint(fleet, redisAnswers, slots, busySlots);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 8);
            server.createContext("/", endpoint::handle);
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "pp-metrics");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            log.info("metrics on port {}: /metrics (Prometheus), /health, /ready", server.getAddress().getPort());
        } catch (IOException e) {
            throw new IllegalArgumentException(MetricsPort.VARIABLE + "=" + port + ": cannot listen on that port ("
                    + e.getMessage() + "); pick a free one", e);
        }
        return endpoint;
    }

    @Override
    public void started(JobPayload payload) {
        Counter.builder("pp.jobs.started").tags(tags(payload)).description("jobs this worker started").register(registry).increment();
    }

    @Override
    public void ended(JobPayload payload, Outcome outcome, Duration ran) {
        Tags tags = tags(payload);
        Counter.builder(outcome.ok() ? "pp.jobs.completed" : "pp.jobs.failed").tags(tags)
                .description(outcome.ok() ? "jobs this worker ran that returned" : "jobs this worker ran that failed")
                .register(registry).increment();
        Timer.builder("pp.job.duration").tags(tags).description("how long jobs ran on this worker").register(registry).record(ran);
    }

    private Tags tags(JobPayload payload) {
        String type = payload.type() != null ? payload.type() : payload.className() != null ? payload.className() : "unknown";
        return fleetTag.and("type", type);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            switch (x.getRequestURI().getPath()) {
                case "/metrics" -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                case "/health" -> send(x, 200, "text/plain; charset=utf-8", "ok\n");
                case "/ready" -> {
                    boolean ready = redisAnswers.getAsBoolean();
                    send(x, ready ? 200 : 503, "text/plain; charset=utf-8", ready ? "ready\n" : "Redis does not answer\n");
                }
                default -> send(x, 404, "text/plain; charset=utf-8", "try /metrics, /health or /ready\n");
            }
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
