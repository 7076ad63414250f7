package io.parametric.manager.internal;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Durations;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.Limits;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.Reaper;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's place in one Redis fleet: the connection, the fleet, the completion listener and,
 * when the manager started it, the private Redis server. Closing it releases all of them. It also
 * runs a {@link Reaper} on a daemon thread (every second; the fleet reaps at most once per half
 * lease whoever runs it), so dead workers are found and delayed jobs promoted even when no live
 * worker is left to do it. The job TTL comes from {@code -Dpp.job.ttl} (default 24 h); the lease
 * for workers that do not state their own from {@code -Dpp.lease} (default 10 s). For a {@code connect()}
 * manager it also keeps the fleet's live workers cached ({@link MembershipCache}).
 */
public final class FleetConnection implements AutoCloseable {

    /**
     * How often the manager's reaper ticks: delayed jobs are promoted and dead workers reaped at
     * this resolution (the fleet reaps at most once per half lease, whoever ticks).
     */
    static final Duration REAPER_TICK = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(FleetConnection.class);

    private final RedisLocator.Found found;
    private final Fleet fleet;
    private final CompletionListener listener;
    private final AutoCloseable reaper;
    private final Duration lease;
    /** Made on first use (only a {@code connect()} manager places on the fleet's live workers); guarded by this. */
    private MembershipCache members;
    /** Guarded by this. */
    private boolean closed;

    /**
     * @param found the Redis
     * @param fleetName the fleet
     * @param secret the fleet secret
     * @param managerId the manager whose completions to listen for
     * @param sink receives each outcome
     * @param waitedFor the ids of placed jobs still waited for, looked up after a Redis outage and
     *     swept once per lease for jobs that vanished from Redis
     */
    public FleetConnection(RedisLocator.Found found, String fleetName, FleetSecret secret, String managerId,
                           Consumer<Outcome> sink, java.util.function.Supplier<java.util.List<String>> waitedFor) {
        this.found = found;
        this.fleet = new Fleet(found.redis(), new FleetKeys(fleetName), secret, Limits.jobTtl());
        secret.warning().ifPresent(LOG::warn);
        this.lease = lease();
        this.listener = new CompletionListener(fleet, managerId, sink, waitedFor, lease);
        this.reaper = new Reaper(fleet, lease, "manager-" + managerId).startDaemon(REAPER_TICK);
    }

    /** @return the fleet */
    public Fleet fleet() {
        return fleet;
    }

    /**
     * @return the fleet's live workers, cached and kept fresh by the fleet (started on first use)
     * @throws ProcessError ILLEGAL_STATE once closed; REDIS_UNAVAILABLE when
     *     the first read fails
     */
    public synchronized MembershipCache members() {
        if (closed) {
            throw new ProcessError(ProcessError.Reason.ILLEGAL_STATE,
                    "the manager's connection to fleet '" + fleet.keys().fleet() + "' is closed");
        }
        if (members == null) {
            members = new MembershipCache(fleet, lease);
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
        try {
            reaper.close();
        } catch (Exception e) {
            // only stops a timer thread
        }
        listener.close();
        found.redis().close();
        if (found.owned() != null) {
            found.owned().close();
        }
    }
}
