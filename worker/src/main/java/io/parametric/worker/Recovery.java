package io.parametric.worker;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.ThrowableText;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one place that decides what a failure means. A connection error (Redis gone,
 * restarting, failing over) is waited out: logged once when Redis goes, retried with backoff
 * (100 ms doubling to 5 s), logged again each minute it lasts and once when it is back. Anything else is a data error and goes
 * back to the caller, which fails that job and goes on. One connection error is not waited out:
 * a TLS certificate the worker does not trust before Redis ever answered this process — a
 * configuration error no retry can fix — goes back to the caller too (a worker then exits 78).
 * Shared by every thread of a worker process, so an outage is logged once, not once per slot.
 *
 * <pre>{@code
 * Fleet.Taken next = recovery.call(() -> fleet.take(pid), () -> stopping);
 * }</pre>
 */
public final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** How often an outage that goes on is logged again, so a waiting worker is never silent for long. */
    static final Duration REMINDER = Duration.ofMinutes(1);

    private volatile boolean answered;
    private boolean down;
    private long downSince;
    private long lastReport;
    private long outages;

    /** Thrown by {@link #call(Supplier, BooleanSupplier)} when the caller gave up waiting for Redis. */
    public static final class GaveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GaveUp(ProcessError cause) {
            super("gave up waiting for Redis", cause, false, false);
        }
    }

    /**
     * @param e a failure
     * @return true when it means Redis cannot be reached now (worth waiting out)
     */
    public static boolean isConnectionError(Throwable e) {
        return e instanceof ProcessError p && p.reason() == Reason.REDIS_UNAVAILABLE;
    }

    /**
     * @param e a failure
     * @return true when a TLS handshake failed because the server's certificate is not trusted
     *     (not issued by a CA of the JVM's trust store, or not for the host name of the URL)
     */
    public static boolean isUntrustedCertificate(Throwable e) {
        return ThrowableText.causes(e).stream().anyMatch(CertificateException.class::isInstance);
    }

    /**
     * Runs a Redis operation, waiting out outages for as long as they last.
     *
     * @param op the operation
     * @param <T> its result
     * @return its result
     * @throws ProcessError REDIS_UNAVAILABLE only when the thread is interrupted while waiting
     * @throws RuntimeException a data error, unchanged
     */
    public <T> T call(Supplier<T> op) {
        return call(op, () -> false);
    }

    /**
     * Runs a Redis operation, waiting out outages until {@code giveUp} says stop.
     *
     * @param op the operation
     * @param giveUp asked between retries
     * @param <T> its result
     * @return its result
     * @throws GaveUp when {@code giveUp} turned true during an outage
     * @throws ProcessError REDIS_UNAVAILABLE when the thread is interrupted while waiting, or at
     *     once when Redis never answered this process and its TLS certificate is not trusted
     * @throws RuntimeException a data error, unchanged
     */
    public <T> T call(Supplier<T> op, BooleanSupplier giveUp) {
        long backoff = FIRST_BACKOFF.toMillis();
        while (true) {
            try {
                T result = op.get();
                markUp();
                return result;
            } catch (RuntimeException e) {
                if (!isConnectionError(e) || (!answered && isUntrustedCertificate(e))) {
                    throw e;
                }
                markDown((ProcessError) e);
                if (giveUp.getAsBoolean()) {
                    throw new GaveUp((ProcessError) e);
                }
                pause(backoff, (ProcessError) e);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /** @return how many outages ended so far; a change tells a slot to check its registration */
    public synchronized long outages() {
        return outages;
    }

    /** @return true while the last Redis call of this process failed to connect */
    public synchronized boolean isDown() {
        return down;
    }

    private synchronized void markDown(ProcessError e) {
        long now = System.nanoTime();
        if (!down) {
            down = true;
            downSince = now;
            lastReport = now;
            log.warn("Redis is gone: {} (the worker's Redis is PP_REDIS_URL or --redis) — retrying with backoff up to {} s",
                    e.getMessage(), MAX_BACKOFF.toSeconds());
        } else if (now - lastReport >= REMINDER.toNanos()) {
            lastReport = now;
            log.warn("still no Redis after {} s: {} — still retrying", (now - downSince) / 1_000_000_000L, e.getMessage());
        }
    }

    private void markUp() {
        answered = true;
        synchronized (this) {
            if (!down) {
                return;
            }
            down = false;
            outages++;
        }
        double seconds = (System.nanoTime() - downSince) / 1e9;
        log.info("Redis is back after {} s", String.format("%.1f", seconds));
    }

    private static void pause(long millis, ProcessError cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }
}
