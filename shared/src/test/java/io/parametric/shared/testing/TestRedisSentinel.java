package io.parametric.shared.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real Sentinel group for integration tests: one master, one replica and three sentinels
 * ({@code redis-server --sentinel}, quorum 2, master down after 1 s), all on free loopback ports,
 * the data nodes with a random password. Close it to kill every process.
 *
 * <pre>{@code
 * try (TestRedisSentinel group = TestRedisSentinel.start()) {
 *     ... connect(group.url(), "fleet", TestSecret.VALUE) ...
 *     RedisProcess old = group.killMaster();
 *     group.awaitFailover(old);   // the replica is the master now
 *     old.restart();              // the sentinels make it a replica of the new master
 * }
 * }</pre>
 */
public final class TestRedisSentinel implements AutoCloseable {

    /** The name the sentinels know the master by. */
    public static final String MASTER_NAME = "pp-master";

    private final String password;
    private final List<RedisProcess> dataNodes = new ArrayList<>();
    private final List<RedisProcess> sentinels = new ArrayList<>();

    private TestRedisSentinel(String password) {
        this.password = password;
    }

    /**
     * Starts the master, the replica (waiting until it is in sync) and the sentinels (waiting
     * until each knows the replica and the other two).
     *
     * @return the running group
     */
    public static TestRedisSentinel start() {
        return start(false);
    }

    /**
     * As {@link #start()}, with the sentinels also requiring the group's password
     * ({@code requirepass}, and {@code sentinel sentinel-pass} between them) when asked.
     *
     * @param protectSentinels true to make the sentinels require the password
     * @return the running group
     */
    public static TestRedisSentinel start(boolean protectSentinels) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        TestRedisSentinel group = new TestRedisSentinel(HexFormat.of().formatHex(random));
        try {
            Path dir = Files.createTempDirectory("pp-sentinel-");
            List<String> data = List.of("requirepass " + group.password, "masterauth " + group.password,
                    "maxmemory-policy noeviction");
            RedisProcess master = RedisProcess.start(dir, data, group.password, false);
            group.dataNodes.add(master);
            List<String> replicaConfig = new ArrayList<>(data);
            replicaConfig.add("replicaof 127.0.0.1 " + master.port());
            RedisProcess replica = RedisProcess.start(dir, replicaConfig, group.password, false);
            group.dataNodes.add(replica);
            await("the replica is in sync", () -> replica.cli("info", "replication").contains("master_link_status:up"));
            List<String> sentinelConfig = new ArrayList<>(List.of(
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
                    "sentinel auth-pass " + MASTER_NAME + " " + group.password,
                    // 3 s, not 1: on a loaded 2-core machine a 1 s silence of the freshly promoted
                    // master once made the sentinels fail over again, onto the restarted and still
                    // empty old master (Redis' default is 30 s).
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 3000",
                    "sentinel failover-timeout " + MASTER_NAME + " 10000"));
            if (protectSentinels) {
                sentinelConfig.addAll(List.of("requirepass " + group.password, "sentinel sentinel-pass " + group.password));
            }
            for (int i = 0; i < 3; i++) {
                group.sentinels.add(RedisProcess.start(dir, sentinelConfig, protectSentinels ? group.password : null, true));
            }
            for (RedisProcess s : group.sentinels) {
                await("sentinel " + s.port() + " knows the replica and the other sentinels", () -> {
                    String info = s.cli("sentinel", "master", MASTER_NAME);
                    return info.contains("num-slaves\n1\n") && info.contains("num-other-sentinels\n2\n");
                });
            }
            return group;
        } catch (IOException | RuntimeException e) {
            group.close();
            throw new IllegalStateException("the Sentinel group did not start: " + e.getMessage(), e);
        }
    }

    /** @return {@code redis-sentinel://:<password>@127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/pp-master} */
    public String url() {
        return "redis-sentinel://:" + password + "@" + String.join(",", sentinels.stream().map(RedisProcess::address).toList())
                + "/" + MASTER_NAME;
    }

    /** @return the data node the sentinels name as master now */
    public RedisProcess master() {
        String[] reply = sentinels.get(0).cli("sentinel", "get-master-addr-by-name", MASTER_NAME).trim().split("\n");
        int port = Integer.parseInt(reply[1].trim());
        return dataNodes.stream().filter(n -> n.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sentinels name an unknown master on port " + port));
    }

    /** @return the data node that is not the master now */
    public RedisProcess replica() {
        RedisProcess master = master();
        return dataNodes.stream().filter(n -> n != master).findFirst().orElseThrow();
    }

    /** @return the master, killed with SIGKILL (restart it with {@link RedisProcess#restart()}) */
    public RedisProcess killMaster() {
        RedisProcess master = master();
        master.kill();
        return master;
    }

    /**
     * Waits until every sentinel names another master than {@code old} and that node says it is one.
     *
     * @param old the master that was killed
     */
    public void awaitFailover(RedisProcess old) {
        await("a failover away from port " + old.port(), () -> sentinels.stream().allMatch(s ->
                !s.cli("sentinel", "get-master-addr-by-name", MASTER_NAME).contains(Integer.toString(old.port())))
                && master().cli("role").startsWith("master"));
    }

    /**
     * Waits until a restarted data node is a replica in sync with the current master.
     *
     * @param node the node
     */
    public void awaitReplica(RedisProcess node) {
        await("port " + node.port() + " replicates the master", () -> node.cli("info", "replication").contains("master_link_status:up"));
    }

    /** Kills every process. */
    @Override
    public void close() {
        sentinels.forEach(RedisProcess::close);
        dataNodes.forEach(RedisProcess::close);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after 60 s waiting until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
