package io.parametric.shared.redis;

import io.parametric.shared.ProcessError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * The only class that touches the Redis client library (Jedis), so an upgrade touches one file
 * (its helpers {@link RedisDeployment} and {@link ReplicaWait} sit beside it). A connection
 * failure becomes {@link ProcessError} with reason REDIS_UNAVAILABLE; a script is a Redis Functions
 * library ({@link LuaScript}), loaded when Redis does not have it and the call then sent once more.
 *
 * <p>One server ({@code redis://}), the master a Sentinel group names ({@code redis-sentinel://},
 * followed through failovers) or a Redis Cluster ({@code redis-cluster://}): every command goes to
 * the master of its first key's slot, and what shares one connection (a {@link #batch}, a
 * subscription) goes to the master of its first key's or channel's slot. A redirection (MOVED
 * after a failover or a resharding) means the command did not run: the client reads the slot
 * layout again and sends it once more, up to {@value #MAX_REDIRECTS} times; a slot that keeps
 * redirecting (ASK: it is migrating) fails the call with REDIS_UNAVAILABLE.
 *
 * <p>After a lost connection (a pooled socket left over from before a Redis restart fails once)
 * a command is sent once more, on a fresh connection, only when repeating it is harmless: reads,
 * {@code SET}, {@code DEL}, {@code EXPIRE}, {@code HSET}, {@code HDEL}, {@code ZADD}, and the
 * scripts whose header says {@code Repeat-safe} ({@link LuaScript#repeatSafe()}: placing, taking
 * and finishing are, since a script skips what it already did). Everything else — {@code INCRBY},
 * {@code RPUSH}, the blocking pops and the scripts without that header — fails with
 * REDIS_UNAVAILABLE at once, so an {@code increment} is never applied twice by the client; the
 * caller decides.
 *
 * <p>With {@link Durability#REPLICATED} every script is followed, on its connection, by
 * {@code WAIT 1} (see {@link ReplicaWait}).
 */
public final class Redis implements AutoCloseable {

    /** How often a redirected command is sent again before the call fails. */
    static final int MAX_REDIRECTS = 5;

    private final String safeUrl;
    /** Kept only to scrub it from error messages. */
    private final String url;
    private final RedisDeployment deployment;
    /** The {@code WAIT} after scripts; null unless durability is replicated. */
    private final ReplicaWait replicaWait;

    /**
     * Connects a pool to a Redis, with the durability {@link Durability#configured()}. Nothing is
     * sent until the first command (which also asks a cluster for its slots, a Sentinel group for
     * its master).
     *
     * @param url {@code redis://[user:password@]host:port[/db]}, {@code redis-cluster://[user:password@]host:port[,host:port...]}
     *     or {@code redis-sentinel://[user:password@]host:port[,host:port...]/<master>}; {@code rediss}
     *     instead of {@code redis} for TLS
     * @param maxConnections pool size (per node of a cluster); blocking fetches hold one connection each
     * @throws ProcessError REDIS_UNAVAILABLE when the URL is not one; ILLEGAL_STATE when the
     *     durability setting is not one
     */
    public Redis(String url, int maxConnections) {
        this.safeUrl = RedisUrl.redact(url);
        Durability durability = Durability.configured();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(Duration.ofSeconds(5));
        pool.setJmxEnabled(false);
        try {
            this.deployment = RedisDeployment.open(url, pool);
        } catch (IllegalArgumentException e) {
            // The parser's message quotes the URL, password included: scrubbed, and not kept as the cause.
            throw new ProcessError(ProcessError.Reason.REDIS_UNAVAILABLE,
                    "'" + safeUrl + "' is not a Redis URL: " + RedisUrl.scrub(e.getMessage(), url)
                            + "; use redis://[user:password@]host:port, redis-cluster://host:port[,host:port...] or"
                            + " redis-sentinel://host:port[,host:port...]/<master> (rediss... for TLS; percent-encode '@', '/' and ':' in a password)");
        }
        this.replicaWait = durability == Durability.REPLICATED ? new ReplicaWait() : null;
        this.url = url;
    }

    /** @return the URL with any password replaced by {@code ***}, for messages */
    public String url() {
        return safeUrl;
    }

    /**
     * @return true when Redis answers a PING now
     */
    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(client().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs a script ({@code FCALL} of its function), loading its library first when Redis does
     * not have it (a restarted Redis, {@code FUNCTION FLUSH}, the first call of a new build).
     *
     * @param script the script
     * @param keys its KEYS
     * @param args its ARGV
     * @return the script's reply: Long, String, List or null
     */
    public Object eval(LuaScript script, List<String> keys, List<String> args) {
        String route = deployment.routeKey(keys);
        if (replicaWait != null) {
            return batch(b -> b.eval(script, keys, args)).get(0);
        }
        return call(() -> loadingIfMissing(route, List.of(script), () -> client().fcall(script.function(), keys, args)),
                script.repeatSafe());
    }

    /**
     * Runs a script with arguments that may be exact bytes (list entries), loading its library
     * first when Redis does not have it.
     *
     * @param script the script
     * @param keys its KEYS
     * @param args its ARGV: each a {@code String} (sent as UTF-8) or a {@code byte[]} (sent as is)
     * @return the script's reply: Long, {@code byte[]}, List or null; bulk strings stay bytes
     */
    public Object evalBytes(LuaScript script, List<String> keys, List<?> args) {
        String route = deployment.routeKey(keys);
        if (replicaWait != null) {
            return batch(b -> b.evalBytes(script, keys, args)).get(0);
        }
        byte[] function = utf8(script.function());
        List<byte[]> k = utf8(keys);
        List<byte[]> a = argBytes(args);
        return call(() -> loadingIfMissing(route, List.of(script), () -> client().fcall(function, k, a)), script.repeatSafe());
    }

    /**
     * Sends script calls (one {@code FCALL}, or a batch holding some); when Redis does not have a
     * script's library (a restart without persistence, {@code FUNCTION FLUSH}, a new build), the
     * {@code FCALL} that meets that ran nothing: the libraries are loaded on the route's node and
     * the calls sent once more.
     */
    private <T> T loadingIfMissing(String route, List<LuaScript> scripts, Supplier<T> send) {
        try {
            return send.get();
        } catch (JedisDataException e) {
            if (!isMissingFunction(e)) {
                throw e;
            }
            load(route, scripts);
            return send.get();
        }
    }

    /** True for the error of an {@code FCALL} whose library Redis does not have. */
    private static boolean isMissingFunction(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().contains("Function not found");
    }

    /**
     * Loads the libraries of scripts on the node a key routes to, each once. {@code REPLACE}: a
     * library's name is a hash of its code, so replacing one puts back the same code, and two
     * clients loading it at once both succeed.
     */
    private void load(String route, List<LuaScript> scripts) {
        try (Connection connection = deployment.connection(route); Pipeline pipe = new Pipeline(connection, false)) {
            List<Response<String>> loaded = scripts.stream().map(LuaScript::library).distinct().map(pipe::functionLoadReplace).toList();
            pipe.sync();
            loaded.forEach(Response::get);
        }
    }

    /**
     * Blocks until an entry can be moved from the head of one list to the tail of another,
     * returning its exact bytes.
     *
     * @param from source list
     * @param to destination list
     * @param timeout how long to block
     * @return the moved entry, or null on timeout
     */
    public byte[] blockingMoveBytes(String from, String to, Duration timeout) {
        return call(() -> client().blmove(utf8(from), utf8(to), ListDirection.LEFT, ListDirection.RIGHT, timeout.toMillis() / 1000.0));
    }

    /** @param key a list @return its entries, exact bytes */
    public List<byte[]> lrangeBytes(String key) {
        return call(() -> client().lrange(utf8(key), 0, -1));
    }

    static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A script's ARGV as sent: a {@code byte[]} as is, anything else as the UTF-8 of its text. This
     * and {@link #utf8(List)} are loops, not streams: every job takes this path.
     */
    private static List<byte[]> argBytes(List<?> args) {
        List<byte[]> bytes = new ArrayList<>(args.size());
        for (Object x : args) {
            bytes.add(x instanceof byte[] b ? b : utf8(String.valueOf(x)));
        }
        return bytes;
    }

    /** Script KEYS as sent, UTF-8. */
    private static List<byte[]> utf8(List<String> texts) {
        List<byte[]> bytes = new ArrayList<>(texts.size());
        for (String t : texts) {
            bytes.add(utf8(t));
        }
        return bytes;
    }

    /**
     * Blocks until a list has entries, then pops up to {@code max} of them from its head in one
     * round trip ({@code BLMPOP}, Redis 7.0).
     *
     * @param key the list
     * @param timeout how long to block
     * @param max the most entries to pop
     * @return the entries, oldest first; empty on timeout
     */
    public List<String> blockingPopMany(String key, Duration timeout, int max) {
        return callOnce(() -> {
            var reply = client().blmpop(timeout.toMillis() / 1000.0, ListDirection.LEFT, max, key);
            return reply == null ? List.of() : reply.getValue();
        });
    }

    /** @param key a string key @return its value or null */
    public String get(String key) {
        return call(() -> client().get(key));
    }

    /** @param key a string key @param value the value to set */
    public void set(String key, String value) {
        call(() -> client().set(key, value));
    }

    /** @param key a string key @param value the value to set @param ttl how long it lives */
    public void set(String key, String value, Duration ttl) {
        call(() -> client().set(key, value, redis.clients.jedis.params.SetParams.setParams().px(ttl.toMillis())));
    }

    /**
     * @param key a stream
     * @return the id of its newest entry, {@code 0-0} when it is empty or absent
     */
    public String lastStreamId(String key) {
        return call(() -> {
            List<redis.clients.jedis.resps.StreamEntry> last = client().xrevrange(key, "+", "-", 1);
            return last.isEmpty() ? "0-0" : last.get(0).getID().toString();
        });
    }

    /**
     * Blocks until a stream has entries after an id.
     *
     * @param key the stream
     * @param afterId entries after this id are returned
     * @param timeout how long to block
     * @param count the most entries to return
     * @return the entries, oldest first; empty on timeout
     */
    public List<StreamEntry> readStream(String key, String afterId, Duration timeout, int count) {
        return call(() -> {
            var reply = client().xread(redis.clients.jedis.params.XReadParams.xReadParams()
                            .block((int) Math.max(1, timeout.toMillis())).count(count),
                    Map.of(key, new redis.clients.jedis.StreamEntryID(afterId)));
            List<StreamEntry> entries = new ArrayList<>();
            if (reply != null) {
                reply.forEach(stream -> stream.getValue().forEach(
                        e -> entries.add(new StreamEntry(e.getID().toString(), e.getFields()))));
            }
            return entries;
        });
    }

    /**
     * One entry of a stream.
     *
     * @param id its id ({@code <ms>-<seq>})
     * @param fields its fields
     */
    public record StreamEntry(String id, Map<String, String> fields) {}

    /** @param key a counter @param delta what to add @return the new value */
    public long incrBy(String key, long delta) {
        return callOnce(() -> client().incrBy(key, delta));
    }

    /** @param keys keys to delete @return how many existed */
    public long del(String... keys) {
        return call(() -> client().del(keys));
    }

    /** @param key a key @param seconds time to live */
    public void expire(String key, long seconds) {
        call(() -> client().expire(key, seconds));
    }

    /** @param key a hash @return all its fields, empty when absent */
    public Map<String, String> hgetAll(String key) {
        return call(() -> client().hgetAll(key));
    }

    /** @param key a hash @param field a field @return its value or null */
    public String hget(String key, String field) {
        return call(() -> client().hget(key, field));
    }

    /** @param key a hash @param fields fields @return their values in order, null where absent */
    public List<String> hmget(String key, List<String> fields) {
        return call(() -> client().hmget(key, fields.toArray(String[]::new)));
    }

    /** @param key a hash @param field a field @param value its value, set only when the field is absent */
    public void hsetnx(String key, String field, String value) {
        call(() -> client().hsetnx(key, field, value));
    }

    /** @param key a hash @param fields fields to delete @return how many existed */
    public long hdel(String key, String... fields) {
        return call(() -> client().hdel(key, fields));
    }

    /** @param key a sorted set @param score the score @param member the member */
    public void zadd(String key, double score, String member) {
        call(() -> client().zadd(key, score, member));
    }

    /** @param key a sorted set @param member a member @return its score, or null */
    public Double zscore(String key, String member) {
        return call(() -> client().zscore(key, member));
    }

    /** @param key a key @return its time to live in seconds; -1 without expiry, -2 when absent */
    public long ttl(String key) {
        return call(() -> client().ttl(key));
    }

    /** @param key a sorted set @return its size */
    public long zcard(String key) {
        return call(() -> client().zcard(key));
    }

    /** @param key a hash @param fields fields to set */
    public void hset(String key, Map<String, String> fields) {
        call(() -> client().hset(key, fields));
    }

    /** @param key a list @return its entries */
    public List<String> lrange(String key) {
        return call(() -> client().lrange(key, 0, -1));
    }

    /** @param key a list @return its length */
    public long llen(String key) {
        return call(() -> client().llen(key));
    }

    /** @param key a list @param values entries to append */
    public void rpush(String key, String... values) {
        callOnce(() -> client().rpush(key, values));
    }

    /** @param key a list @param keepNewest how many entries to keep, the newest (the tail) */
    public void trimToNewest(String key, int keepNewest) {
        call(() -> client().ltrim(key, -keepNewest, -1));
    }

    /** @param channel a channel @param message what to publish */
    public void publish(String channel, String message) {
        call(() -> client().publish(channel, message));
    }

    /** @param key a sorted set @return its members, lowest score first */
    public List<String> zrange(String key) {
        return call(() -> client().zrange(key, 0, -1));
    }

    /** @param section an INFO section @return its text */
    public String info(String section) {
        return call(() -> client().info(section));
    }

    /** @param parameter a configuration parameter @return its value, or null when not readable */
    public String configGet(String parameter) {
        return call(() -> {
            Map<String, String> reply = client().configGet(parameter);
            return reply.get(parameter);
        });
    }

    /**
     * Sends several commands in one round trip, on one connection to the master of their slot
     * (on a cluster every key of a batch must share one slot: a fleet's keys do). With
     * {@link Durability#REPLICATED} a batch that runs scripts ends with {@code WAIT 1}.
     *
     * @param commands adds commands to the batch
     * @return each command's reply, in order
     * @throws IllegalArgumentException on a cluster when the keys are in more than one slot
     */
    public List<Object> batch(Consumer<Batch> commands) {
        Batch dryRun = new Batch(null);
        commands.accept(dryRun);
        if (dryRun.keys.isEmpty()) {
            return List.of();
        }
        String route = deployment.routeKey(dryRun.keys);
        // Its other commands only read or delete: the batch is as safe to repeat as its scripts.
        boolean repeatSafe = true;
        for (LuaScript s : dryRun.scripts) {
            repeatSafe &= s.repeatSafe();
        }
        // A batch that meets a missing library is sent again whole: its other commands only read.
        return call(() -> loadingIfMissing(route, dryRun.scripts, () -> runBatch(route, commands, !dryRun.scripts.isEmpty())),
                repeatSafe);
    }

    private List<Object> runBatch(String route, Consumer<Batch> commands, boolean runsScripts) {
        try (Connection connection = deployment.connection(route); Pipeline pipe = new Pipeline(connection, false)) {
            Batch batch = new Batch(pipe);
            commands.accept(batch);
            Runnable acknowledged = replicaWait != null && runsScripts
                    ? replicaWait.append(pipe, connection.getHostAndPort().toString()) : () -> {};
            pipe.sync();
            List<Object> replies = new ArrayList<>(batch.responses.size());
            for (Response<?> r : batch.responses) {
                replies.add(r.get());
            }
            acknowledged.run();
            return replies;
        }
    }

    /** Commands queued for one round trip; see {@link #batch}. */
    public static final class Batch {
        private final Pipeline pipe;
        private final List<Response<?>> responses = new ArrayList<>();
        private final List<LuaScript> scripts = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();

        /** @param pipe where commands go; null only records the scripts and keys used */
        private Batch(Pipeline pipe) {
            this.pipe = pipe;
        }

        /** @param key a list */
        public void llen(String key) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.llen(key));
            }
        }

        /** @param key a sorted set */
        public void zcard(String key) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.zcard(key));
            }
        }

        /** @param key a hash */
        public void hgetAll(String key) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.hgetAll(key));
            }
        }

        /** @param key a string */
        public void get(String key) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.get(key));
            }
        }

        /** @param key a key */
        public void exists(String key) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.exists(key));
            }
        }

        /** @param key a hash @param field a field */
        public void hget(String key, String field) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.hget(key, field));
            }
        }

        /** @param key a hash @param field a field */
        public void hexists(String key, String field) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.hexists(key, field));
            }
        }

        /** @param keys keys to delete */
        public void del(String... keys) {
            this.keys.addAll(List.of(keys));
            if (pipe != null) {
                responses.add(pipe.del(keys));
            }
        }

        /** @param key a list */
        public void lrange(String key) {
            keys.add(key);
            if (pipe != null) {
                responses.add(pipe.lrange(key, 0, -1));
            }
        }

        /**
         * Runs a script ({@code FCALL}); a batch that meets one whose library Redis does not have
         * loads its scripts' libraries and is sent again.
         *
         * @param script the script
         * @param keys its KEYS (on a cluster the batch goes to the first key's master)
         * @param args its ARGV
         */
        public void eval(LuaScript script, List<String> keys, List<String> args) {
            scripts.add(script);
            this.keys.addAll(keys);
            if (pipe != null) {
                responses.add(pipe.fcall(script.function(), keys, args));
            }
        }

        /**
         * As {@link #eval}, with arguments that are {@code String} (sent as UTF-8) or exact
         * {@code byte[]} (sent as they are); bulk strings in its reply stay {@code byte[]}.
         *
         * @param script the script
         * @param keys its KEYS
         * @param args its ARGV
         */
        public void evalBytes(LuaScript script, List<String> keys, List<?> args) {
            scripts.add(script);
            this.keys.addAll(keys);
            if (pipe != null) {
                responses.add(pipe.fcall(utf8(script.function()), utf8(keys), argBytes(args)));
            }
        }
    }

    /**
     * Listens on channels with a connection of its own, blocking the calling thread until the
     * subscription is closed or the connection is lost.
     *
     * @param subscription what to do with messages
     * @param channels the channels to start with (at least one)
     * @throws ProcessError REDIS_UNAVAILABLE when the connection was lost: listen again
     */
    public void listen(Subscription subscription, List<String> channels) {
        try (Connection connection = deployment.connection(channels.get(0))) {
            subscription.fresh().proceed(connection, channels.toArray(String[]::new));
        } catch (JedisConnectionException | JedisClusterOperationException e) {
            deployment.refresh();
            throw new ProcessError(ProcessError.Reason.REDIS_UNAVAILABLE,
                    "Redis at " + safeUrl + " dropped a subscription (" + RedisUrl.scrub(rootMessage(e), url) + "); listening again", e);
        }
    }

    @Override
    public void close() {
        deployment.close();
    }

    /** @return the client single commands go through (on a cluster or Sentinel group, built by the first command) */
    private UnifiedJedis client() {
        return deployment.client();
    }

    /** Runs a command that is harmless to repeat: once more on a fresh connection after a lost one. */
    private <T> T call(Supplier<T> command) {
        return call(command, true);
    }

    /** Runs a command that must not be repeated: a lost connection is REDIS_UNAVAILABLE at once. */
    private <T> T callOnce(Supplier<T> command) {
        return call(command, false);
    }

    private <T> T call(Supplier<T> command, boolean repeatSafe) {
        int redirects = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return command.get();
            } catch (JedisException e) {
                // On a cluster Jedis makes one attempt and wraps what ended it.
                Throwable cause = e instanceof JedisClusterOperationException && e.getCause() instanceof JedisException inner ? inner : e;
                if (cause instanceof JedisRedirectionException) {
                    // MOVED or ASK: the command did not run. Read the slot layout again and send it again.
                    if (++redirects <= MAX_REDIRECTS) {
                        deployment.refresh();
                        attempt--;
                        continue;
                    }
                    throw new ProcessError(ProcessError.Reason.REDIS_UNAVAILABLE,
                            "Redis Cluster at " + safeUrl + " redirected a command " + redirects + " times ("
                                    + RedisUrl.scrub(cause.getMessage(), url)
                                    + "): the fleet's slot is moving between nodes; try again once the resharding is done", e);
                }
                if (cause instanceof JedisConnectionException || e instanceof JedisClusterOperationException) {
                    deployment.refresh();
                    if (attempt == 1 && repeatSafe && cause instanceof JedisConnectionException) {
                        // A pooled connection left over from before a Redis restart fails once, and the pool
                        // drops it; one retry on a fresh connection tells a stale socket from a Redis that is away.
                        continue;
                    }
                    throw new ProcessError(ProcessError.Reason.REDIS_UNAVAILABLE,
                            "Redis at " + safeUrl + " does not answer (" + RedisUrl.scrub(rootMessage(e), url)
                                    + "); check that it runs and that the URL is right", e);
                }
                if (cause instanceof JedisDataException data && isTransient(data.getMessage())) {
                    throw new ProcessError(ProcessError.Reason.REDIS_UNAVAILABLE,
                            "Redis at " + safeUrl + " is not ready (" + RedisUrl.scrub(data.getMessage(), url)
                                    + "); it is starting or failing over, try again", e);
                }
                throw e;
            }
        }
    }

    /** Errors a Redis gives while it loads its data, fails over or runs a long script: not the caller's fault. */
    private static boolean isTransient(String message) {
        if (message == null) {
            return false;
        }
        return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("MASTERDOWN")
                || message.startsWith("TRYAGAIN") || message.startsWith("READONLY") || message.startsWith("CLUSTERDOWN")
                || message.startsWith("NOREPLICAS");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
