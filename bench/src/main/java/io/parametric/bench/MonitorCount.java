package io.parametric.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Counts the commands Redis runs while it is open, split into those clients sent and those Lua
 * scripts called ({@code MONITOR} tags them {@code [0 lua]}), which {@code INFO commandstats}
 * cannot tell apart. MONITOR slows Redis down: use it on small runs only, never while timing.
 *
 * <pre>{@code
 * try (MonitorCount monitor = MonitorCount.start(url)) {
 *     work();
 *     monitor.stop();
 *     double clientPerJob = monitor.client().total() / (double) jobs;
 * }
 * }</pre>
 */
final class MonitorCount implements AutoCloseable {

    private final Jedis jedis;
    private final Map<String, Long> client = new TreeMap<>();
    private final Map<String, Long> script = new TreeMap<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread reader;

    private MonitorCount(String url) {
        this.jedis = Connections.open(url, 0);
        this.reader = new Thread(this::read, "pp-bench-monitor");
        reader.setDaemon(true);
    }

    /**
     * @param url the Redis
     * @return a count that has started (MONITOR acknowledged)
     */
    static MonitorCount start(String url) {
        MonitorCount m = new MonitorCount(url);
        m.reader.start();
        try {
            if (!m.started.await(10, TimeUnit.SECONDS)) {
                m.close();
                throw new IllegalStateException("MONITOR was not acknowledged within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting MONITOR", e);
        }
        return m;
    }

    private void read() {
        try {
            jedis.monitor(new JedisMonitor() {
                @Override
                public void proceed(Connection connection) {
                    started.countDown();
                    super.proceed(connection);
                }

                @Override
                public void onCommand(String line) {
                    count(line);
                }
            });
        } catch (RuntimeException e) {
            // the connection closed by stop(): the count is over
        }
    }

    private synchronized void count(String line) {
        int open = line.indexOf('[');
        int close = line.indexOf(']', open);
        int quote = line.indexOf('"', close);
        if (open < 0 || close < 0 || quote < 0) {
            return;
        }
        int end = line.indexOf('"', quote + 1);
        String command = line.substring(quote + 1, end < 0 ? line.length() : end).toLowerCase(java.util.Locale.ROOT);
        boolean fromScript = line.substring(open, close).endsWith(" lua");
        (fromScript ? script : client).merge(command, 1L, Long::sum);
    }

    /** Ends the count: what arrives later is not counted. */
    void stop() {
        close();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return commands clients sent (the benchmark's own INFO calls included, if it made any) */
    synchronized CommandStats client() {
        return new CommandStats(new TreeMap<>(client));
    }

    /** @return commands Lua scripts called */
    synchronized CommandStats script() {
        return new CommandStats(new TreeMap<>(script));
    }

    @Override
    public void close() {
        jedis.close();
    }
}
