package io.parametric.bench;

import java.net.URI;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The one way the benchmark opens a plain Jedis connection from a Redis URL (credentials,
 * database and {@code rediss://} TLS taken from the URL; RESP2, no protocol negotiation).
 */
final class Connections {

    private Connections() {}

    /**
     * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
     * @param socketTimeoutMillis read timeout; 0 waits forever (MONITOR)
     * @return an open connection
     */
    static Jedis open(String url, int socketTimeoutMillis) {
        URI uri = URI.create(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .autoNegotiateProtocol(false)
                .connectionTimeoutMillis(10_000)
                .socketTimeoutMillis(socketTimeoutMillis)
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri));
        if (JedisURIHelper.hasDbIndex(uri)) {
            config.database(JedisURIHelper.getDBIndex(uri));
        }
        return new Jedis(JedisURIHelper.getHostAndPort(uri), config.build());
    }
}
