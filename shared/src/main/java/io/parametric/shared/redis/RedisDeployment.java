package io.parametric.shared.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
import redis.clients.jedis.exceptions.JedisException;
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
    public abstract void close();

    /**
     * @param url a Redis URL (see {@link Redis#Redis})
     * @param pool pool settings, per node
     * @return the deployment; nothing is sent until the first command (a cluster is asked for its
     *     slots, a Sentinel group for its master, when the first command needs them: until they
     *     answer, commands fail as with a single Redis that is away)
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
        JedisClientConfig data = config.build();
        if (address.kind() == RedisAddress.Kind.CLUSTER) {
            return new Cluster(new OnFirstUse<>(() -> RedisClusterClient.builder().nodes(nodes).clientConfig(data).poolConfig(pool)
                    .maxAttempts(CLUSTER_ATTEMPTS).maxTotalRetriesDuration(Duration.ofMinutes(1)).build(), UnifiedJedis::close));
        }
        return new Sentinel(new OnFirstUse<>(() -> {
            JedisClientConfig sentinels = sentinelConfig(address, nodes);
            SentineledConnectionProvider provider = new SentineledConnectionProvider(address.master(), data, pool, nodes, sentinels);
            return new SentinelClient(RedisSentinelClient.builder().masterName(address.master()).sentinels(nodes)
                    .clientConfig(data).sentinelClientConfig(sentinels).connectionProvider(provider).build(), provider);
        }, c -> c.client().close()));
    }

    /**
     * A client built on first use and kept: a cluster or Sentinel group that does not answer yet
     * makes commands fail with a lost connection (REDIS_UNAVAILABLE, which workers wait out), not
     * the constructor, just as with a single Redis.
     */
    private static final class OnFirstUse<T> {
        private final Supplier<T> build;
        private final Consumer<T> close;
        private T built;

        OnFirstUse(Supplier<T> build, Consumer<T> close) {
            this.build = build;
            this.close = close;
        }

        synchronized T get() {
            if (built == null) {
                try {
                    built = build.get();
                } catch (JedisConnectionException e) {
                    throw e;
                } catch (JedisException e) {
                    // e.g. the sentinels answer but do not know the master yet
                    throw new JedisConnectionException(e.getMessage(), e);
                }
            }
            return built;
        }

        synchronized void close() {
            if (built != null) {
                close.accept(built);
            }
        }
    }

    /** The Sentinel client and its connection provider, which follows the current master. */
    private record SentinelClient(RedisSentinelClient client, SentineledConnectionProvider provider) {}

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

        @Override
        public void close() {
            client.close();
        }
    }

    /** The master a Sentinel group names; the provider follows its failovers. */
    static final class Sentinel extends RedisDeployment {
        private final OnFirstUse<SentinelClient> sentinel;

        Sentinel(OnFirstUse<SentinelClient> sentinel) {
            this.sentinel = sentinel;
        }

        @Override
        UnifiedJedis client() {
            return sentinel.get().client();
        }

        @Override
        Connection connection(String key) {
            return sentinel.get().provider().getConnection();
        }

        @Override
        public void close() {
            sentinel.close();
        }
    }

    /** A Redis Cluster: each key's slot has one master. */
    static final class Cluster extends RedisDeployment {
        private final OnFirstUse<RedisClusterClient> cluster;

        Cluster(OnFirstUse<RedisClusterClient> cluster) {
            this.cluster = cluster;
        }

        @Override
        UnifiedJedis client() {
            return cluster.get();
        }

        @Override
        Connection connection(String key) {
            return cluster.get().getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        }

        @Override
        void refresh() {
            try {
                cluster.get().refreshClusterTopology();
            } catch (RuntimeException e) {
                // No node answers now: the next command fails and refreshes again.
            }
        }

        @Override
        public void close() {
            cluster.close();
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
