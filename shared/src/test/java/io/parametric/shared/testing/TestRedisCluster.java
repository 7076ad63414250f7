package io.parametric.shared.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster for integration tests: six {@code redis-server} processes on free loopback
 * ports (three masters, three replicas, {@code redis-cli --cluster create ... --cluster-replicas 1}),
 * with a random password. Close it to kill every process.
 *
 * <pre>{@code
 * try (TestRedisCluster cluster = TestRedisCluster.start()) {
 *     String fleetA = cluster.fleetOnMaster(0, "a");   // its slot lives on the first master
 *     String fleetB = cluster.fleetOnMaster(1, "b");   // and this one's on the second
 *     try (ProcessManager pm = connect(cluster.url(), fleetA, TestSecret.VALUE)) { ... }
 * }
 * }</pre>
 */
public final class TestRedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;

    private final String password;
    private final Path dir;
    private final List<RedisProcess> nodes;

    private TestRedisCluster(String password, Path dir, List<RedisProcess> nodes) {
        this.password = password;
        this.dir = dir;
        this.nodes = nodes;
    }

    /**
     * Starts six nodes, joins them into a cluster and waits until it has settled.
     *
     * @return the running cluster, settled ({@link #awaitSettled()})
     * @throws IllegalStateException when a node does not start or the cluster does not form
     */
    public static TestRedisCluster start() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path dir;
        try {
            dir = Files.createTempDirectory("pp-cluster-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a folder for the cluster: " + e.getMessage(), e);
        }
        List<RedisProcess> nodes = new ArrayList<>();
        TestRedisCluster cluster = new TestRedisCluster(password, dir, nodes);
        try {
            for (int i = 0; i < 2 * MASTERS; i++) {
                nodes.add(RedisProcess.start(dir, List.of("cluster-enabled yes", "cluster-config-file nodes.conf",
                        "cluster-node-timeout 2000", "requirepass " + password, "masterauth " + password,
                        "maxmemory-policy noeviction", "repl-diskless-sync-delay 0"), password, false));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(n -> create.add(n.address()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            RedisProcess.run(create, password);
            cluster.awaitSettled();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** @return {@code redis-cluster://:<password>@127.0.0.1:<port>,...} naming every node */
    public String url() {
        return "redis-cluster://:" + password + "@" + String.join(",", nodes.stream().map(RedisProcess::address).toList());
    }

    /** @return the nodes, in the order they were started (before failovers: masters first) */
    public List<RedisProcess> nodes() {
        return nodes;
    }

    /**
     * @param port a node's port
     * @return the node that listens there
     */
    public RedisProcess node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node of this cluster listens on " + port));
    }

    /**
     * @param slot a hash slot (0..16383)
     * @return the port of the master that serves it now, as the first running node sees it
     */
    public int masterOf(int slot) {
        RedisProcess asked = nodes.stream().filter(RedisProcess::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster runs"));
        for (String line : asked.cli("cluster", "nodes").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = f[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1, f[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** @return the ports of the masters now, ascending by the first slot they serve */
    public List<Integer> masterPorts() {
        List<Integer> ports = new ArrayList<>();
        for (int slot = 0; slot < 16384; slot += 16384 / MASTERS / 2) {
            int port = masterOf(slot);
            if (!ports.contains(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    /**
     * @param master 0, 1 or 2: which of {@link #masterPorts()}
     * @param prefix the start of the name
     * @return a fleet name, {@code <prefix>-<n>}, whose keys ({@code pp:{<name>}:...}) are served by that master
     */
    public String fleetOnMaster(int master, String prefix) {
        int port = masterPorts().get(master);
        for (int n = 0; n < 10_000; n++) {
            String fleet = prefix + "-" + n;
            if (masterOf(slotOf(fleet)) == port) {
                return fleet;
            }
        }
        throw new IllegalStateException("no fleet name " + prefix + "-<n> hashes to the master at " + port);
    }

    /**
     * @param prefix the start of the name
     * @return a fleet name, {@code <prefix>-<n>}, whose shards 0, 1 and 2 ({@code pp:{<name>}:...},
     *     {@code pp:{<name>/1}:...}, {@code pp:{<name>/2}:...}) are served by three different masters
     */
    public String shardedFleetOnEveryMaster(String prefix) {
        for (int n = 0; n < 10_000; n++) {
            String fleet = prefix + "-" + n;
            Set<Integer> masters = new HashSet<>();
            for (int shard = 0; shard < MASTERS; shard++) {
                masters.add(masterOf(slotOf(shard == 0 ? fleet : fleet + "/" + shard)));
            }
            if (masters.size() == MASTERS) {
                return fleet;
            }
        }
        throw new IllegalStateException("no fleet name " + prefix + "-<n> has its 3 shards on 3 masters");
    }

    /**
     * @param fleet a fleet name ({@code <fleet>/<k>} for its shard k)
     * @return the hash slot of its keys, {@code pp:{<fleet>}:...}
     */
    public int slotOf(String fleet) {
        RedisProcess asked = nodes.stream().filter(RedisProcess::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster runs"));
        return Integer.parseInt(asked.cli("cluster", "keyslot", "pp:{" + fleet + "}:open").trim());
    }

    /**
     * Moves a hash slot, at rest, to another master ({@code CLUSTER SETSLOT} and {@code MIGRATE}
     * of its keys, as {@code redis-cli --cluster reshard} does), then waits until the cluster has settled.
     *
     * @param slot the slot
     * @param toPort the master to take it
     */
    public void moveSlot(int slot, int toPort) {
        RedisProcess from = node(masterOf(slot));
        RedisProcess to = node(toPort);
        String fromId = from.cli("cluster", "myid").trim();
        String toId = to.cli("cluster", "myid").trim();
        to.cli("cluster", "setslot", Integer.toString(slot), "importing", fromId);
        from.cli("cluster", "setslot", Integer.toString(slot), "migrating", toId);
        while (true) {
            String[] keys = from.cli("cluster", "getkeysinslot", Integer.toString(slot), "100").trim().split("\n");
            if (keys.length == 0 || keys[0].isBlank()) {
                break;
            }
            List<String> migrate = new ArrayList<>(List.of("migrate", "127.0.0.1", Integer.toString(toPort), "", "0", "5000",
                    "auth", password, "keys"));
            migrate.addAll(List.of(keys));
            from.cli(migrate.toArray(String[]::new));
        }
        for (RedisProcess n : nodes) {
            if (n.isRunning()) {
                n.cli("cluster", "setslot", Integer.toString(slot), "node", toId);
            }
        }
        awaitSettled();
    }

    /**
     * Waits until the cluster has settled: every running node reports {@code cluster_state:ok},
     * every running node's {@code CLUSTER NODES} gives each node the same role, master, config
     * epoch and slots, and every running replica's link to its master is up. A
     * {@code CLUSTER FAILOVER} asked for before that can fail: a master that still sees the replica
     * as a master denies its vote, and a replica still in its first sync cannot start ("Manual
     * failover timed out" in its log).
     */
    public void awaitSettled() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!isSettled()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not settle (cluster_state:ok, one view of its nodes,"
                        + " every replica in sync) within 60 s; see the logs under " + dir);
            }
            try {
                Thread.sleep(100); // gossip and replication settle with no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private boolean isSettled() {
        List<RedisProcess> running = nodes.stream().filter(RedisProcess::isRunning).toList();
        Set<Set<String>> views = new HashSet<>();
        for (RedisProcess node : running) {
            String replication = node.cli("info", "replication");
            if (!node.cli("cluster", "info").contains("cluster_state:ok")
                    || replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                return false;
            }
            views.add(view(node.cli("cluster", "nodes")));
        }
        return views.size() == 1;
    }

    /** One line per node: id, role, master id, config epoch and slots, without what differs per observer. */
    private static Set<String> view(String clusterNodes) {
        Set<String> view = new HashSet<>();
        for (String line : clusterNodes.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            String role = f[2].contains("master") ? "master" : f[2].contains("slave") ? "slave" : f[2];
            List<String> kept = new ArrayList<>(List.of(f[0], role, f[3], f[6]));
            kept.addAll(List.of(f).subList(8, f.length));
            view.add(String.join(" ", kept));
        }
        return view;
    }

    /** Kills every node. */
    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
