package io.parametric.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parametric.manager.internal.StatsReader;
import io.parametric.shared.protocol.FleetShards;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard: the JDK's HTTP server with a plain HTML/CSS/JS page from the jar and one
 * JSON endpoint it polls ({@code /api/fleet}). Actions (requeue dead letters, cancel a job, close
 * a worker) answer only when enabled and only to POSTs carrying the token in {@code X-PP-Token}.
 * A sharded fleet is shown whole: every shard's workers, queues, failures and dead letters, its
 * shard count read again at every poll.
 */
final class DashboardServer implements AutoCloseable {

    /** Header that carries the actions token. */
    static final String TOKEN_HEADER = "X-PP-Token";

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/dashboard.css", "dashboard.css", "/dashboard.js", "dashboard.js");

    private final Session session;
    private final FleetShards shards;
    private final String token;
    private final HttpServer server;
    private final RecentFailures failures;

    /**
     * Starts serving.
     *
     * @param session the fleet shown, all its shards
     * @param bind the address to listen on
     * @param port the port, 0 for any free one
     * @param token the actions token, or null when actions are off
     * @throws IOException when the port cannot be bound
     */
    DashboardServer(Session session, String bind, int port, String token) throws IOException {
        this.session = session;
        this.shards = session.shards();
        this.token = token;
        this.failures = new RecentFailures(shards);
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "pp-dashboard");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** @return the address it listens on, e.g. {@code http://127.0.0.1:8080/} */
    URI address() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            x.getResponseHeaders().set("Cache-Control", "no-store");
            x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            x.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            if (path.startsWith("/api/actions/")) {
                action(x, path.substring("/api/actions/".length()));
            } else if (!x.getRequestMethod().equals("GET")) {
                send(x, 405, "text/plain", "only GET here");
            } else if (path.equals("/api/fleet")) {
                sendJson(x, 200, snapshot());
            } else if (FILES.containsKey(path)) {
                sendFile(x, FILES.get(path));
            } else {
                send(x, 404, "text/plain", "no such page");
            }
        } catch (RuntimeException e) {
            LOG.warn("dashboard request {} failed: {}", x.getRequestURI().getPath(), e.getMessage());
            sendJson(x, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private Map<String, Object> snapshot() {
        shards.refresh();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stats", StatsJson.of(StatsReader.read(shards)));
        m.put("failures", failures.latest());
        List<String> dead = shards.deadLetters();
        m.put("deadLetters", dead.subList(Math.max(0, dead.size() - 50), dead.size()));
        m.put("actions", token != null);
        return m;
    }

    private void action(HttpExchange x, String name) throws IOException {
        if (token == null) {
            sendJson(x, 404, Map.of("error", "actions are off; start the dashboard with --allow-actions"));
            return;
        }
        if (!x.getRequestMethod().equals("POST")) {
            sendJson(x, 405, Map.of("error", "actions are POST requests"));
            return;
        }
        String given = x.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            sendJson(x, 403, Map.of("error", "this action needs the token the dashboard printed at start, in the "
                    + TOKEN_HEADER + " header"));
            return;
        }
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        Object result = switch (name) {
            case "requeue" -> Map.of("requeued", shards.requeueDeadLetters());
            case "cancel" -> Map.of("cancel", cancel(required(q, "job")));
            case "close" -> Map.of("closed", close(Long.parseLong(required(q, "pid"))));
            default -> null;
        };
        if (result == null) {
            sendJson(x, 404, Map.of("error", "no action '" + name + "'; actions: requeue, cancel?job=ID, close?pid=N"));
        } else {
            LOG.info("dashboard action {} {}", name, q);
            sendJson(x, 200, result);
        }
    }

    private String cancel(String jobId) {
        return session.holding(jobId).cancel(jobId, "dashboard").name();
    }

    private String close(long pid) {
        return shards.of(pid).rehome(pid, false, "closed", "closed from the dashboard").toString();
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return v;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private void sendFile(HttpExchange x, String file) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream("dashboard/" + file)) {
            if (in == null) {
                send(x, 500, "text/plain", "the dashboard's " + file + " is missing from the jar");
                return;
            }
            String type = file.endsWith(".html") ? "text/html" : file.endsWith(".css") ? "text/css" : "text/javascript";
            send(x, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void sendJson(HttpExchange x, int status, Object body) throws IOException {
        send(x, status, "application/json", JsonOutput.write(body));
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        failures.close();
    }
}
