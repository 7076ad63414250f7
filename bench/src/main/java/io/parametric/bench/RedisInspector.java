package io.parametric.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Slowlog;

/**
 * What the benchmark reads from the Redis under test: memory, command counts, read events,
 * key count and the slow log; and removing the keys a scenario left. One connection.
 *
 * <pre>{@code
 * try (RedisInspector redis = new RedisInspector(url)) {
 *     long before = redis.usedMemory();
 * }
 * }</pre>
 */
final class RedisInspector implements AutoCloseable {

    private final Jedis jedis;

    /** @param url the Redis, {@code redis://} or {@code rediss://}, with credentials when it needs them */
    RedisInspector(String url) {
        this.jedis = Connections.open(url, 10_000);
    }

    /** How long a read waits for a Lua script that holds Redis (BUSY) to end: the scripts are what is measured. */
    private static final java.time.Duration BUSY_PATIENCE = java.time.Duration.ofMinutes(30);

    /** @return {@code used_memory} of {@code INFO memory}, in bytes */
    long usedMemory() {
        return field("memory", "used_memory");
    }

    /** @return {@code used_cpu_user} plus {@code used_cpu_sys} of {@code INFO cpu}: Redis' CPU time so far */
    java.time.Duration cpuTime() {
        double seconds = Double.parseDouble(text("cpu", "used_cpu_user")) + Double.parseDouble(text("cpu", "used_cpu_sys"));
        return java.time.Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** @return {@code redis_version} of {@code INFO server} */
    String version() {
        for (String line : call(j -> j.info("server")).split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "(unknown version)";
    }

    /** @return calls per command so far */
    CommandStats commandStats() {
        return CommandStats.parse(call(j -> j.info("commandstats")));
    }

    /**
     * @return {@code total_reads_processed} of {@code INFO stats}: socket reads of client requests,
     *     about one per client round trip (a long pipeline may take several)
     */
    long readsProcessed() {
        return field("stats", "total_reads_processed");
    }

    /** @return the number of keys in the database */
    long keyCount() {
        return call(Jedis::dbSize);
    }

    /**
     * Logs every command slower than the threshold from now on, forgetting earlier entries.
     *
     * @param thresholdMicros the {@code slowlog-log-slower-than} to set
     */
    void resetSlowlog(long thresholdMicros) {
        call(j -> j.configSet("slowlog-log-slower-than", Long.toString(thresholdMicros)));
        call(j -> j.configSet("slowlog-max-len", "10000"));
        call(Jedis::slowlogReset);
    }

    /** @return the slowest command logged since {@link #resetSlowlog}, if any */
    Optional<Slowlog> slowest() {
        List<Slowlog> entries = call(j -> j.slowlogGet(10_000));
        return entries.stream().max(java.util.Comparator.comparingLong(Slowlog::getExecutionTime));
    }

    /** @return how many commands the slow log holds */
    long slowlogCount(long atLeastMicros) {
        return call(j -> j.slowlogGet(10_000)).stream().filter(s -> s.getExecutionTime() >= atLeastMicros).count();
    }

    /**
     * Removes every key matching a pattern (SCAN and UNLINK, so a large fleet does not block Redis).
     *
     * @param pattern e.g. {@code pp:{fleet}:*}
     */
    void deleteKeys(String pattern) {
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String from = cursor;
            ScanResult<String> page = call(j -> j.scan(from, params));
            if (!page.getResult().isEmpty()) {
                call(j -> j.unlink(page.getResult().toArray(String[]::new)));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /** @return seconds of CPU the server used so far ({@code used_cpu_user + used_cpu_sys} of {@code INFO cpu}) */
    double cpuSeconds() {
        return Double.parseDouble(text("cpu", "used_cpu_user")) + Double.parseDouble(text("cpu", "used_cpu_sys"));
    }

    /** @return {@code total_commands_processed} of {@code INFO stats} (a script counts as one, its calls too) */
    long commandsProcessed() {
        return field("stats", "total_commands_processed");
    }

    /**
     * @param slot a hash slot
     * @return true when this node is a cluster master that serves it ({@code CLUSTER NODES}, its own line)
     */
    boolean servesSlot(int slot) {
        for (String line : call(Jedis::clusterNodes).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 3 || !f[2].contains("myself")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return true;
                }
            }
        }
        return false;
    }

    private long field(String section, String name) {
        return Long.parseLong(text(section, name));
    }

    private String text(String section, String name) {
        Map<String, String> fields = new HashMap<>();
        for (String line : call(j -> j.info(section)).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalStateException("INFO " + section + " of this Redis has no " + name + "; the benchmark needs Redis 6.2 or later");
        }
        return value;
    }

    /** Runs a call, waiting out BUSY replies (a long Lua script holds Redis) up to {@link #BUSY_PATIENCE}. */
    private <T> T call(java.util.function.Function<Jedis, T> command) {
        long deadline = System.nanoTime() + BUSY_PATIENCE.toNanos();
        while (true) {
            try {
                return command.apply(jedis);
            } catch (redis.clients.jedis.exceptions.JedisBusyException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Redis has been busy running one script for over " + BUSY_PATIENCE.toMinutes() + " min", e);
                }
                BenchJobs.sleep(100); // BUSY has no notification: ask again
            }
        }
    }

    @Override
    public void close() {
        jedis.close();
    }
}
