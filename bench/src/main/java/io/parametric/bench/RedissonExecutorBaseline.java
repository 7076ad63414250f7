package io.parametric.bench;

import java.io.PrintStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.redisson.Redisson;
import org.redisson.api.RExecutorFuture;
import org.redisson.api.RExecutorService;
import org.redisson.api.RedissonClient;
import org.redisson.api.WorkerOptions;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * The same end-to-end and latency runs on Redisson's {@code RExecutorService}, with its workers in
 * this JVM ({@code registerWorkers}), against the same Redis: the comparison issue 10 used.
 *
 * <pre>{@code
 * Baseline redisson = RedissonExecutorBaseline.run(settings, System.err);
 * }</pre>
 */
final class RedissonExecutorBaseline {

    private RedissonExecutorBaseline() {}

    /** The no-op task: Redisson ships its class to the workers. */
    static final class NoOpTask implements Callable<Object>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object call() {
            return null;
        }
    }

    /**
     * @param settings the run's sizes (slots = Redisson workers)
     * @param log progress lines
     * @return its figures
     * @throws Exception a failed task or Redis call
     */
    static Baseline run(Settings settings, PrintStream log) throws Exception {
        RedissonClient client = Redisson.create(config(settings.redisUrl()));
        String name = "pp-bench-redisson-" + UUID.randomUUID().toString().substring(0, 8);
        RExecutorService executor = client.getExecutorService(name);
        try {
            executor.registerWorkers(WorkerOptions.defaults().workers(settings.slots()));
            log.println("[bench] Redisson executor: warming up");
            submitLoop(executor, settings.warmup() * 2);
            JitSettle.await(log, "Redisson executor's end-to-end run");
            log.println("[bench] Redisson executor: end to end");
            long t0 = System.nanoTime();
            submitLoop(executor, settings.jobs());
            double rate = settings.jobs() / FleetScenarios.seconds(System.nanoTime() - t0);
            log.println("[bench] Redisson executor: sequential latency");
            Latency.Summary latency = Latency.measure(settings.warmup(), settings.samples(), () -> executor.submit(new NoOpTask()).get(), log);
            return new Baseline(rate, latency);
        } finally {
            executor.shutdown();
            executor.delete();
            client.shutdown();
        }
    }

    private static void submitLoop(RExecutorService executor, int n) throws Exception {
        NoOpTask task = new NoOpTask();
        List<RExecutorFuture<Object>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(executor.submit(task));
        }
        for (RExecutorFuture<Object> f : futures) {
            f.get();
        }
    }

    /** @return the version of Redisson on the classpath, from its Maven properties */
    static String version() {
        try (java.io.InputStream in = Redisson.class.getResourceAsStream("/META-INF/maven/org.redisson/redisson/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(unknown version)");
        } catch (java.io.IOException e) {
            return "(unknown version)";
        }
    }

    private static Config config(String url) {
        URI uri = URI.create(url);
        Config config = new Config();
        SingleServerConfig server = config.useSingleServer()
                .setAddress(uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()));
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                server.setPassword(userInfo);
            } else {
                if (colon > 0) {
                    server.setUsername(userInfo.substring(0, colon));
                }
                server.setPassword(userInfo.substring(colon + 1));
            }
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            server.setDatabase(Integer.parseInt(path.substring(1)));
        }
        return config;
    }
}
