package io.parametric.shared.protocol;

import io.parametric.shared.ProcessError;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds workers that stopped heartbeating and hands their jobs on, timed by Redis's clock. Any
 * live worker or manager may run it; the fleet reaps at most once per half lease (a lock key in
 * Redis), and the reaping itself is one Lua script ({@code reap.lua}), so two reapers never
 * hand on the same job twice. Each tick also promotes due delayed jobs (retries, {@code withDelay}).
 *
 * <pre>{@code
 * Reaper reaper = new Reaper(fleet, Reaper.DEFAULT_LEASE, "worker-7");
 * reaper.tick();                                   // from a heartbeat thread, or:
 * try (AutoCloseable daemon = reaper.startDaemon(Duration.ofSeconds(1), () -> true)) { ... }
 * }</pre>
 */
public final class Reaper {

    /** How often a worker heartbeats by default. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);

    /** How long a worker may go without a heartbeat before it is dead, by default. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

    /** How long stopping the daemon waits for a tick under way. */
    static final int STOP_WAIT_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final Fleet fleet;
    private final Duration lease;
    private final Duration lockPeriod;
    private final String owner;

    /**
     * A reaper that reaps at most once per half lease across the fleet.
     *
     * @param fleet the fleet
     * @param lease how long a worker may go without a heartbeat
     * @param owner who runs it (e.g. "worker-7", "manager-ab12"), for diagnosis
     */
    public Reaper(Fleet fleet, Duration lease, String owner) {
        this(fleet, lease, lease.dividedBy(2), owner);
    }

    /**
     * @param fleet the fleet
     * @param lease how long a worker may go without a heartbeat
     * @param lockPeriod the fleet reaps at most once per period
     * @param owner who runs it, for diagnosis
     */
    public Reaper(Fleet fleet, Duration lease, Duration lockPeriod, String owner) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease must be positive, not " + lease);
        }
        this.fleet = fleet;
        this.lease = lease;
        this.lockPeriod = lockPeriod;
        this.owner = owner;
    }

    /** @return how often at most the fleet reaps (a tick more often only promotes delayed jobs) */
    public Duration lockPeriod() {
        return lockPeriod;
    }

    /**
     * Runs one tick and logs what it found. Workers reaped with more queued jobs than one script
     * call hands on (orphans) are finished here, one bounded call per chunk.
     *
     * @return what it did
     * @throws ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public Fleet.Reaped tick() {
        Fleet.Reaped r = fleet.reap(lease, lockPeriod, owner);
        for (long orphan : r.orphans()) {
            Fleet.Rehomed rest = fleet.rehome(orphan, false, null, "its worker left the fleet");
            LOG.info("handed on the rest of reaped worker {}'s queue in fleet '{}': {} jobs moved, {} failed",
                    orphan, fleet.keys().fleet(), rest.moved(), rest.failed());
        }
        if (r.kind() == Fleet.Reaped.Kind.GRACE && r.graced() > 0) {
            LOG.warn("Redis of fleet '{}' restarted (new run id): gave {} live workers one lease ({}) of grace before reaping",
                    fleet.keys().fleet(), r.graced(), lease);
        }
        if (!r.reaped().isEmpty()) {
            LOG.warn("reaped workers {} of fleet '{}' (no heartbeat for {}): {} jobs handed on, {} failed"
                            + " (pinned or cancelled), {} poison, {} unreadable entries dead-lettered",
                    r.reaped(), fleet.keys().fleet(), lease, r.moved(), r.failed(), r.poisoned(), r.deadLettered());
        }
        return r;
    }

    /**
     * Runs {@link #tick()} on a daemon thread every {@code every} while {@code eager} says so, else
     * once per {@link #lockPeriod()} (an idle manager need not promote delayed jobs at the finer
     * resolution: it waits for none), until closed; a tick that fails (Redis away) is logged once
     * per outage and retried on the next one.
     *
     * @param every the interval while eager
     * @param eager asked before each tick, e.g. whether the caller waits for jobs
     * @return stops the thread, waiting up to {@value #STOP_WAIT_SECONDS} s for a tick under way, so
     *     the caller may close the connections after it
     */
    public AutoCloseable startDaemon(Duration every, BooleanSupplier eager) {
        long[] lastTick = {System.nanoTime() - lockPeriod.toNanos()};
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pp-reaper-" + fleet.keys().fleet());
            t.setDaemon(true);
            return t;
        });
        boolean[] failing = {false};
        timer.scheduleWithFixedDelay(() -> {
            if (!eager.getAsBoolean() && System.nanoTime() - lastTick[0] < lockPeriod.toNanos()) {
                return;
            }
            lastTick[0] = System.nanoTime();
            try {
                tick();
                if (failing[0]) {
                    LOG.info("reaper of fleet '{}' reaches Redis again", fleet.keys().fleet());
                    failing[0] = false;
                }
            } catch (RuntimeException e) {
                // Never let the timer die: the next tick tries again. One that fails while the timer
                // stops (its connections closing) is not an outage.
                if (!failing[0] && !timer.isShutdown()) {
                    LOG.warn("reaper of fleet '{}' cannot run: {}", fleet.keys().fleet(), e.getMessage());
                    failing[0] = true;
                }
            }
        }, 0, Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdownNow();
            if (!timer.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.debug("reaper of fleet '{}' still ticking after {} s; stopping anyway", fleet.keys().fleet(), STOP_WAIT_SECONDS);
            }
        };
    }
}
