package io.parametric.manager.internal;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Durations;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.Limits;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.Reaper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's place in one Redis fleet: the connection, the fleet, the completion listener and,
 * when the manager started it, the private Redis server. Closing it releases all of them. It also
 * runs a {@link Reaper} on a daemon thread (every 2 s while the manager waits for jobs, else every
 * half lease; the fleet reaps at most once per half lease whoever runs it), so dead workers are
 * found and delayed jobs promoted even when no live worker is left to do it. The job TTL comes from {@code -Dpp.job.ttl} (default 24 h); the lease
 * for workers that do not state their own from {@code -Dpp.lease} (default 10 s). For a {@code connect()}
 * manager it also keeps the fleet's live workers cached ({@link FleetMembers}).
 *
 * <p>A sharded fleet ({@link FleetShards}) gets all of these once per shard: a completion
 * listener (the manager's outcomes come back on the shard that ran the job), a reaper and, for a
 * {@code connect()} manager, a membership cache. The shard count is read again every lease, so
 * shards added elsewhere are followed.
 */
public final class FleetConnection implements AutoCloseable {

    /**
     * How often the manager's reaper ticks while the manager waits for jobs: delayed jobs are
     * promoted and dead workers reaped at this resolution (the fleet reaps at most once per half
     * lease, whoever ticks). While it waits for none, it ticks once per half lease.
     */
    static final Duration REAPER_TICK = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(FleetConnection.class);

    private final RedisLocator.Found found;
    private final FleetShards shards;
    private final String managerId;
    private final Consumer<Outcome> sink;
    private final WaitedJobs waited;
    private final BooleanSupplier waiting;
    /** Per shard followed so far; guarded by this. */
    private final List<CompletionListener> listeners = new ArrayList<>();
    private final List<AutoCloseable> reapers = new ArrayList<>();
    private final ScheduledExecutorService shardWatch;
    private final Duration lease;
    /** Made on first use (only a {@code connect()} manager places on the fleet's live workers); guarded by this. */
    private FleetMembers members;
    /** Guarded by this. */
    private boolean closed;

    /**
     * @param found the Redis
     * @param fleetName the fleet
     * @param secret the fleet secret
     * @param managerId the manager whose completions to listen for
     * @param sink receives each outcome
     * @param waited the placed jobs still waited for, looked up after a Redis outage and swept
     *     once per lease for jobs that vanished from Redis
     * @param waiting whether the manager waits for any job (its reaper then ticks more often)
     */
    public FleetConnection(RedisLocator.Found found, String fleetName, FleetSecret secret, String managerId,
                           Consumer<Outcome> sink, WaitedJobs waited, BooleanSupplier waiting) {
        this.found = found;
        this.shards = new FleetShards(found.redis(), fleetName, secret, Limits.jobTtl());
        this.managerId = managerId;
        this.sink = sink;
        this.waited = waited;
        this.waiting = waiting;
        secret.warning().ifPresent(LOG::warn);
        this.lease = lease();
        shards.refresh();
        followShards();
        this.shardWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pp-shards-" + fleetName);
            t.setDaemon(true);
            return t;
        });
        shardWatch.scheduleWithFixedDelay(this::rereadShardsQuietly, lease.toMillis(), lease.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return shard 0 of the fleet: the whole fleet when it is not sharded; its settings and shared values when it is */
    public Fleet fleet() {
        return shards.base();
    }

    /** @return the fleet's shards */
    public FleetShards shards() {
        return shards;
    }

    /**
     * Starts a completion listener and a reaper on each shard not followed yet (and a membership
     * cache, once a {@code connect()} manager uses them).
     */
    public synchronized void followShards() {
        if (closed) {
            return;
        }
        for (int k = listeners.size(); k < shards.count(); k++) {
            Fleet shard = shards.shard(k);
            // One sweep for vanished jobs per manager, from shard 0's listener: it asks every shard.
            listeners.add(new CompletionListener(shard, shards, managerId, sink, waited, lease, k == 0));
            reapers.add(new Reaper(shard, lease, "manager-" + managerId).startDaemon(REAPER_TICK, waiting));
            if (k > 0) {
                LOG.info("fleet '{}': following shard {}", shards.fleet(), k);
            }
        }
        if (members != null) {
            members.follow();
        }
    }

    private void rereadShardsQuietly() {
        try {
            if (shards.refresh()) {
                followShards();
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot re-read the shard count of fleet '{}': {}", shards.fleet(), e.toString());
        }
    }

    /**
     * @return the fleet's live workers, cached and kept fresh by the fleet (started on first use)
     * @throws ProcessError ILLEGAL_STATE once closed; REDIS_UNAVAILABLE when
     *     the first read fails
     */
    public synchronized FleetMembers members() {
        if (closed) {
            throw new ProcessError(ProcessError.Reason.ILLEGAL_STATE,
                    "the manager's connection to fleet '" + shards.fleet() + "' is closed");
        }
        if (members == null) {
            members = new FleetMembers(shards, lease);
        }
        return members;
    }

    /** @return the Redis URL as workers should reach it (with credentials) */
    public String workerUrl() {
        return found.url();
    }

    /** @return true when the Redis is the private redis-server this manager started (and stops on close) */
    public boolean ownsRedis() {
        return found.owned() != null;
    }

    /** @return how the Redis was found, for the user */
    public String origin() {
        return found.origin();
    }

    private static Duration lease() {
        String text = System.getProperty("pp.lease");
        return text == null || text.isBlank() ? Reaper.DEFAULT_LEASE : Durations.parse(text);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (members != null) {
                members.close();
            }
        }
        shardWatch.shutdownNow();
        List<AutoCloseable> toStop;
        List<CompletionListener> toClose;
        synchronized (this) {
            toStop = List.copyOf(reapers);
            toClose = List.copyOf(listeners);
        }
        for (AutoCloseable reaper : toStop) {
            try {
                reaper.close();
            } catch (Exception e) {
                // only stops a timer thread
            }
        }
        toClose.forEach(CompletionListener::close);
        found.redis().close();
        if (found.owned() != null) {
            found.owned().close();
        }
    }
}
