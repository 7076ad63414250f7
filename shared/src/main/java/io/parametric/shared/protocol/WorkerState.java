package io.parametric.shared.protocol;

import java.util.Locale;
import java.util.Optional;

/** The state of a worker slot, field {@code state} of its hash; see {@code docs/protocol.md}. */
public enum WorkerState {
    /** On the open-worker list: nothing queued, nothing running. */
    IDLE,
    /** Running a job or with jobs queued. */
    BUSY,
    /** Finishing its running job; takes nothing new. */
    CLOSING,
    /** Out of the fleet (its manager closed it, or it shut down). */
    CLOSED,
    /** Reaped: it missed its lease, its jobs moved on. */
    DEAD;

    /** @return true when the worker may be given jobs (idle or busy) */
    public boolean takesJobs() {
        return this == IDLE || this == BUSY;
    }

    /** @return the text stored in Redis */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a state field read from Redis (untrusted), or null
     * @return the state; empty for null or a text no version of the protocol writes
     */
    public static Optional<WorkerState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (WorkerState s : values()) {
            if (s.wire().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
