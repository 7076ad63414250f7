package io.parametric.manager.internal;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.redis.ReconnectDelay;
import io.parametric.shared.redis.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The live workers of a fleet as a {@code connect()} manager places on them, kept fresh by the
 * fleet instead of listing it before each placement: one subscribed connection to the fleet's
 * members channel ({@code +<pid>} a worker registered, {@code -<pid>} it left), a re-read of the
 * live workers every lease as a safety net, and one after each (re)subscription, since pub/sub
 * drops what is published while the connection is down. A re-read never undoes a message that
 * arrived while it was under way. The set may lag the fleet for a moment; placement stays
 * correct because the place script checks every target.
 */
public final class MembershipCache implements AutoCloseable {

    private static final Logger LOG = Logs.get(MembershipCache.class);

    private final Fleet fleet;
    private final String channel;
    private final Subscription subscription = new Subscription(this::onMessage, this::onSubscribed);
    private final Thread listener;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    /** Serialises re-reads, so each one's replay list is its own. */
    private final Object rereading = new Object();
    /** Ascending pids; guarded by lock. */
    private TreeSet<Long> pids = new TreeSet<>();
    /** An immutable copy of {@link #pids}, replaced at each change: the same list while nothing changes. */
    private volatile List<Long> snapshot = List.of();
    /** Messages received while a re-read is under way, applied on top of what it read; null between re-reads; guarded by lock. */
    private List<String> replay;
    private volatile boolean stopped;

    /**
     * Reads the live workers once, then starts listening and the periodic re-read.
     *
     * @param fleet the fleet
     * @param every how often to re-read the live workers (the fleet's lease)
     * @throws ProcessError REDIS_UNAVAILABLE when the first read fails
     */
    public MembershipCache(Fleet fleet, Duration every) {
        this.fleet = fleet;
        this.channel = fleet.keys().members();
        refresh();
        this.listener = new Thread(this::listen, "pp-members-" + fleet.keys().fleet());
        listener.setDaemon(true);
        listener.start();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pp-members-reread-" + fleet.keys().fleet());
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::rereadQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the pids of the live workers as last known, ascending: the same list until they change */
    public List<Long> pids() {
        return snapshot;
    }

    /** Publishes {@link #pids} after a change; called holding lock. */
    private void publish() {
        List<Long> now = List.copyOf(pids);
        if (!now.equals(snapshot)) {
            snapshot = now;
        }
    }

    /**
     * Re-reads the live workers now (one command), for a caller that found the set stale.
     *
     * @return true when the set changed
     * @throws ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public boolean refresh() {
        synchronized (rereading) {
            synchronized (lock) {
                replay = new ArrayList<>();
            }
            List<Long> live;
            try {
                live = fleet.livePids();
            } catch (RuntimeException e) {
                synchronized (lock) {
                    replay = null;
                }
                throw e;
            }
            synchronized (lock) {
                TreeSet<Long> fresh = new TreeSet<>(live);
                replay.forEach(m -> apply(fresh, m));
                replay = null;
                boolean changed = !fresh.equals(pids);
                pids = fresh;
                publish();
                return changed;
            }
        }
    }

    private void rereadQuietly() {
        try {
            if (refresh()) {
                LOG.debug("the live workers of fleet '{}' changed without a message reaching this manager", fleet.keys().fleet());
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot re-read the live workers of fleet '{}': {}", fleet.keys().fleet(), e.toString());
        }
    }

    private void onMessage(String from, String message) {
        synchronized (lock) {
            if (apply(pids, message)) {
                publish();
                if (replay != null) {
                    replay.add(message);
                }
            }
        }
    }

    /** Applies a {@code +<pid>} or {@code -<pid>} message; anything else is ignored. @return whether it was one */
    private static boolean apply(TreeSet<Long> set, String message) {
        if (message == null || message.length() < 2 || message.length() > 20) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(message.substring(1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid <= 0) {
            return false;
        }
        switch (message.charAt(0)) {
            case '+' -> set.add(pid);
            case '-' -> set.remove(pid);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void onSubscribed() {
        if (stopped) {
            subscription.close();
            return;
        }
        rereadQuietly();
    }

    private void listen() {
        boolean away = false;
        while (!stopped) {
            try {
                fleet.listen(subscription, List.of(channel));
                away = false;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                if (!away) {
                    // Placement goes on with the set as known, re-read every lease.
                    LOG.warn("membership of fleet '{}' is re-read every lease only until its channel answers again: {}",
                            fleet.keys().fleet(), e.getMessage());
                    away = true;
                }
                ReconnectDelay.pause(ReconnectDelay.DEFAULT);
            }
        }
    }

    /** Stops listening and re-reading. */
    @Override
    public void close() {
        stopped = true;
        subscription.close();
        timer.shutdownNow();
    }
}
