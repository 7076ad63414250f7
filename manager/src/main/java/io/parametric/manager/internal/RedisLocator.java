package io.parametric.manager.internal;

import io.parametric.shared.redis.RedisUrl;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.redis.Redis;

/**
 * Finds the Redis a manager uses, exactly in this order: the system property
 * {@code pp.redis.url}, else the environment {@code PP_REDIS_URL} (set but silent → an error,
 * never silently replaced); with none set, {@code redis://127.0.0.1:6379} if it answers, else a
 * private {@code redis-server} on a free loopback port that the manager owns.
 */
public final class RedisLocator {

    /** The URL tried when none is configured. */
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    /** Connections per manager: one blocking listener plus placement and reads. */
    static final int POOL = 8;

    private RedisLocator() {}

    /**
     * A Redis to use and, when the manager started it, the server to stop on close.
     *
     * @param redis the connection pool
     * @param url its URL, with credentials, for the workers
     * @param owned the private server, or null
     * @param origin how it was found, for the user ("pp.redis.url", "PP_REDIS_URL", ...)
     */
    public record Found(Redis redis, String url, LocalRedisServer owned, String origin) {}

    /** @return the configured URL (property, then environment), or null when none is set */
    public static String configuredUrl() {
        String property = System.getProperty("pp.redis.url");
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        String env = System.getenv("PP_REDIS_URL");
        return env == null || env.isBlank() ? null : env.trim();
    }

    /**
     * @return a Redis that answers
     * @throws ProcessError REDIS_UNAVAILABLE when a configured URL does not answer, or when none
     *     is configured and neither a local Redis nor {@code redis-server} is there
     */
    public static Found locate() {
        String configured = configuredUrl();
        if (configured != null) {
            String origin = System.getProperty("pp.redis.url") != null ? "pp.redis.url" : "PP_REDIS_URL";
            return new Found(answering(configured, origin), configured, null, origin + " = " + RedisUrl.redact(configured));
        }
        Redis local = new Redis(DEFAULT_URL, POOL);
        if (local.ping()) {
            return new Found(local, DEFAULT_URL, null, "the local Redis at " + DEFAULT_URL);
        }
        local.close();
        if (LocalRedisServer.findExecutable().isPresent()) {
            LocalRedisServer server;
            try {
                server = LocalRedisServer.start(false);
            } catch (IllegalStateException e) {
                throw new ProcessError(Reason.REDIS_UNAVAILABLE,
                        "no Redis is configured, none answers at " + DEFAULT_URL + ", and starting a private redis-server failed: "
                                + e.getMessage() + "; " + HOW_TO_GET_REDIS, e);
            }
            return new Found(new Redis(server.url(), POOL), server.url(), server, "a private redis-server at " + RedisUrl.redact(server.url())
                    + " (started by this manager, stopped by close())");
        }
        throw new ProcessError(Reason.REDIS_UNAVAILABLE,
                "no Redis is configured (pp.redis.url / PP_REDIS_URL), none answers at " + DEFAULT_URL
                        + " and no redis-server is on the PATH; " + HOW_TO_GET_REDIS);
    }

    /**
     * @param url a configured URL
     * @param origin where it was configured
     * @return a connection to it
     * @throws ProcessError REDIS_UNAVAILABLE when it does not answer
     */
    public static Redis answering(String url, String origin) {
        Redis redis = new Redis(url, POOL);
        if (!redis.ping()) {
            redis.close();
            throw new ProcessError(Reason.REDIS_UNAVAILABLE,
                    "Redis at " + RedisUrl.redact(url) + " (from " + origin + ") does not answer PING; it is not replaced by "
                            + "another Redis — start it, fix the URL, or unset it to use a local one; " + HOW_TO_GET_REDIS);
        }
        return redis;
    }

    private static final String HOW_TO_GET_REDIS =
            "start one (docker run -p 6379:6379 redis, or apt-get install redis-server) and set "
                    + "PP_REDIS_URL=redis://host:6379, or use in-JVM workers: processes(n, Async.class)";
}
