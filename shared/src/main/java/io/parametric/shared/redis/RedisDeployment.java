package io.parametric.shared.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * How {@link Redis} reaches the Redis a URL names — one server, the master a Sentinel group
 * points at, or a Redis Cluster — and which node holds a key. Single commands go through
 * {@link #client()}, which routes them by key; what must share one connection (a pipeline, a
 * script and its {@code WAIT}, a subscription) takes {@link #connection(String)}.
 */
abstract sealed class RedisDeployment implements AutoCloseable {

    /**
     * Attempts per command on a cluster: one. Jedis would repeat a command after a lost connection
     * even when repeating it is not harmless; {@link Redis} decides that, and repeats a command
     * that was redirected (MOVED: it did not run) after the client re-read the slot layout.
     */
    private static final int CLUSTER_ATTEMPTS = 1;

    /** @return the client single commands go through, routed by their first key */
    abstract UnifiedJedis client();

    /**
     * @param key a key (or channel) of the fleet
     * @return a pooled connection to the master that holds it; close it to give it back
     */
    abstract Connection connection(String key);

    /** Reads the node layout again, after a redirection or a lost connection; only a cluster has one. */
    void refresh() {}

    /**
     * @param keys the keys of a script or of the commands that share one connection
     * @return the key that routes them (the first), or "" when there is none and it does not matter
     * @throws IllegalArgumentException on a cluster when there is no key or they are in more than one slot
     */
    String routeKey(List<String> keys) {
        return keys.isEmpty() ? "" : keys.get(0);
    }

    @Override
    public void close() {
        client().close();
    }

    /**
     * @param url a Redis URL (see {@link Redis#Redis})
     * @param pool pool settings, per node
     * @return the deployment; nothing is sent until the first command, except that a Sentinel
     *     group is asked for its master and a cluster for its slots
     * @throws IllegalArgumentException when the URL is not one
     */
    static RedisDeployment open(String url, GenericObjectPoolConfig<Connection> pool) {
        if (!RedisAddress.isMultiNode(url)) {
            return new Single(RedisClient.builder().fromURI(URI.create(url)).poolConfig(pool).build());
        }
        RedisAddress address = RedisAddress.parse(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().ssl(address.tls());
        if (address.password() != null) {
            config.user(address.user()).password(address.password());
        }
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        address.nodes().forEach(n -> nodes.add(new HostAndPort(n.host(), n.port())));
        if (address.kind() == RedisAddress.Kind.CLUSTER) {
            return new Cluster(RedisClusterClient.builder().nodes(nodes).clientConfig(config.build()).poolConfig(pool)
                    .maxAttempts(CLUSTER_ATTEMPTS).maxTotalRetriesDuration(Duration.ofMinutes(1)).build());
        }
        JedisClientConfig master = config.build();
        JedisClientConfig sentinels = sentinelConfig(address, nodes);
        SentineledConnectionProvider provider = new SentineledConnectionProvider(address.master(), master, pool, nodes, sentinels);
        return new Sentinel(RedisSentinelClient.builder().masterName(address.master()).sentinels(nodes)
                .clientConfig(master).sentinelClientConfig(sentinels).connectionProvider(provider).build(), provider);
    }

    /**
     * Sentinels are asked without credentials, unless the first one that answers wants them
     * (NOAUTH: a sentinel with {@code requirepass}): then with the URL's.
     */
    private static JedisClientConfig sentinelConfig(RedisAddress address, Set<HostAndPort> sentinels) {
        // Jedis talks to sentinels with its legacy client, which speaks the server's default protocol only.
        JedisClientConfig open = DefaultJedisClientConfig.builder().ssl(address.tls()).serverDefaultProtocol().build();
        if (address.password() == null) {
            return open;
        }
        for (HostAndPort sentinel : sentinels) {
            try (Connection probe = new Connection(sentinel, open)) {
                probe.executeCommand(new CommandArguments(Protocol.Command.PING));
                return open;
            } catch (JedisDataException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("NOAUTH")) {
                    return DefaultJedisClientConfig.builder().ssl(address.tls()).serverDefaultProtocol()
                            .user(address.user()).password(address.password()).build();
                }
                return open;
            } catch (JedisConnectionException e) {
                // this sentinel is away: ask the next
            }
        }
        return open;
    }

    /** One Redis server ({@code redis://}, {@code rediss://}). */
    static final class Single extends RedisDeployment {
        private final RedisClient client;

        Single(RedisClient client) {
            this.client = client;
        }

        @Override
        UnifiedJedis client() {
            return client;
        }

        @Override
        Connection connection(String key) {
            return client.getPool().getResource();
        }
    }

    /** The master a Sentinel group names; the provider follows its failovers. */
    static final class Sentinel extends RedisDeployment {
        private final RedisSentinelClient client;
        private final SentineledConnectionProvider provider;

        Sentinel(RedisSentinelClient client, SentineledConnectionProvider provider) {
            this.client = client;
            this.provider = provider;
        }

        @Override
        UnifiedJedis client() {
            return client;
        }

        @Override
        Connection connection(String key) {
            return provider.getConnection();
        }
    }

    /** A Redis Cluster: each key's slot has one master. */
    static final class Cluster extends RedisDeployment {
        private final RedisClusterClient client;

        Cluster(RedisClusterClient client) {
            this.client = client;
        }

        @Override
        UnifiedJedis client() {
            return client;
        }

        @Override
        Connection connection(String key) {
            return client.getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        }

        @Override
        void refresh() {
            try {
                client.refreshClusterTopology();
            } catch (RuntimeException e) {
                // No node answers now: the next command fails and refreshes again.
            }
        }

        @Override
        String routeKey(List<String> keys) {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("a script or batch without keys cannot be routed on a Redis Cluster;"
                        + " name at least one key of the fleet in KEYS");
            }
            if (keys.stream().mapToInt(JedisClusterCRC16::getSlot).distinct().count() > 1) {
                throw new IllegalArgumentException("keys of more than one cluster slot in one call: " + keys
                        + "; every key of a fleet carries its hash tag {<fleet>}");
            }
            return keys.get(0);
        }
    }
}
