package io.parametric.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of the benchmark's own: masters only (no replicas, so every core left goes to
 * what is measured), each a {@link PrivateRedis} on a free loopback port with one random
 * password, joined by {@code redis-cli --cluster create}. Closing it stops every node.
 *
 * <pre>{@code
 * try (PrivateCluster cluster = PrivateCluster.start(3)) { run(cluster.url()); }
 * }</pre>
 */
final class PrivateCluster implements AutoCloseable {

    private final List<PrivateRedis> nodes;
    private final String password;

    private PrivateCluster(List<PrivateRedis> nodes, String password) {
        this.nodes = nodes;
        this.password = password;
    }

    /**
     * @param masters how many masters (at least 3, as Redis Cluster requires)
     * @return a cluster whose every node says {@code cluster_state:ok}
     * @throws IllegalStateException when a node does not start or the cluster does not form
     */
    static PrivateCluster start(int masters) {
        String password = PrivateRedis.password();
        List<PrivateRedis> nodes = new ArrayList<>();
        PrivateCluster cluster = new PrivateCluster(nodes, password);
        try {
            Path dir = Files.createTempDirectory("pp-bench-cluster-");
            for (int i = 0; i < masters; i++) {
                nodes.add(PrivateRedis.start(password, "cluster-enabled yes\ncluster-config-file nodes-" + i + ".conf\n"
                        + "dir " + dir + "\nmasterauth " + password + "\n"));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            ProcessBuilder builder = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("REDISCLI_AUTH", password);
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed; run it by hand to see why");
            }
            cluster.awaitOk();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new IllegalStateException("cannot start the cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new IllegalStateException("interrupted while the cluster formed", e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void awaitOk() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (PrivateRedis node : nodes) {
            while (!clusterOk(node)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not reach cluster_state:ok within 60 s");
                }
                BenchJobs.sleep(100); // gossip settles with no event to wait on
            }
        }
    }

    private static boolean clusterOk(PrivateRedis node) {
        try (redis.clients.jedis.Jedis j = Connections.open(node.url(), 2000)) {
            return j.clusterInfo().contains("cluster_state:ok");
        }
    }

    /** @return {@code redis-cluster://:<password>@127.0.0.1:<port>,...} naming every node */
    String url() {
        return "redis-cluster://:" + password + "@" + String.join(",", nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList());
    }

    /** @return each node's own URL, to inspect it */
    List<String> nodeUrls() {
        return nodes.stream().map(PrivateRedis::url).toList();
    }

    /**
     * @param hashTag what is between the braces of a key
     * @return the index in {@link #nodeUrls()} of the master serving that hash tag's slot
     */
    int masterOf(String hashTag) {
        int slot = JedisClusterCRC16.getSlot("{" + hashTag + "}");
        for (int i = 0; i < nodes.size(); i++) {
            try (RedisInspector node = new RedisInspector(nodes.get(i).url())) {
                if (node.servesSlot(slot)) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Stops every node. */
    @Override
    public void close() {
        nodes.forEach(PrivateRedis::close);
    }
}
