package io.parametric.shared.redis;

import java.time.Duration;

/**
 * The delay a listening thread (completions, membership, events, worker signals) waits before it
 * tries Redis again after a failure: a reconnect delay, not a wait for a condition.
 */
public final class ReconnectDelay {

    /** The usual delay between two attempts while Redis is away. */
    public static final Duration DEFAULT = Duration.ofMillis(500);

    private ReconnectDelay() {
    }

    /**
     * Sleeps for the delay; an interrupt ends it early and stays set for the caller to see.
     *
     * @param delay how long
     */
    public static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
