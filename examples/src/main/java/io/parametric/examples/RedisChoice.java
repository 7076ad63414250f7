package io.parametric.examples;

import io.parametric.shared.redis.RedisUrl;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.redis.Redis;

/**
 * Which Redis the demo's manager will use, worked out the way the manager finds one: the
 * {@code pp.redis.url} property, else {@code PP_REDIS_URL}, else {@code redis://127.0.0.1:6379}
 * when it answers, else a private {@code redis-server} the manager starts, else none (the demo
 * then runs on {@code Async} workers).
 *
 * @param source where the Redis comes from
 * @param url the URL, password hidden; null for {@link Source#PRIVATE_SERVER} and {@link Source#NONE}
 * @param setting for {@link Source#CONFIGURED}, where it is set: {@code pp.redis.url} or {@code PP_REDIS_URL}
 */
public record RedisChoice(Source source, String url, String setting) {

    /** The URL the manager tries when none is configured. */
    public static final String LOCAL = "redis://127.0.0.1:6379";

    /** Where the Redis comes from. */
    public enum Source {
        /** {@code pp.redis.url} or {@code PP_REDIS_URL}. */
        CONFIGURED,
        /** A Redis already answering on 127.0.0.1:6379. */
        LOCAL_6379,
        /** A private {@code redis-server} the manager starts on a free port and stops on close. */
        PRIVATE_SERVER,
        /** No Redis at all: only {@code Async} workers can run. */
        NONE
    }

    /**
     * Looks at the configuration, then at 127.0.0.1:6379, then for {@code redis-server}.
     *
     * @return the choice the manager will make
     */
    public static RedisChoice find() {
        String property = System.getProperty("pp.redis.url");
        if (property != null && !property.isBlank()) {
            return new RedisChoice(Source.CONFIGURED, RedisUrl.redact(property.trim()), "pp.redis.url");
        }
        String env = System.getenv("PP_REDIS_URL");
        if (env != null && !env.isBlank()) {
            return new RedisChoice(Source.CONFIGURED, RedisUrl.redact(env.trim()), "PP_REDIS_URL");
        }
        try (Redis local = new Redis(LOCAL, 1)) {
            if (local.ping()) {
                return new RedisChoice(Source.LOCAL_6379, LOCAL, null);
            }
        }
        if (LocalRedisServer.findExecutable().isPresent()) {
            return new RedisChoice(Source.PRIVATE_SERVER, null, null);
        }
        return none();
    }

    /** @return the choice when there is no Redis at all */
    public static RedisChoice none() {
        return new RedisChoice(Source.NONE, null, null);
    }

    /** @return true when Threaded workers can run (there is or will be a Redis) */
    public boolean hasRedis() {
        return source != Source.NONE;
    }

    /** @return a line saying which Redis is used and why (two when there is none) */
    public String describe() {
        return switch (source) {
            case CONFIGURED -> "Redis: " + url + " (configured by " + setting + ")";
            case LOCAL_6379 -> "Redis: " + url + " (none configured; found one running locally)";
            case PRIVATE_SERVER -> "Redis: a private redis-server the manager started on a free loopback port"
                    + " (none configured, nothing on 127.0.0.1:6379; it stops when the demo ends)";
            case NONE -> "Redis: none (none configured, nothing on 127.0.0.1:6379, no redis-server on the PATH)"
                    + System.lineSeparator()
                    + "  -> running on Async workers (threads in this JVM) instead of worker processes;"
                    + " install redis-server or set PP_REDIS_URL to see those.";
        };
    }
}
