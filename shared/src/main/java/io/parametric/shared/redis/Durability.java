package io.parametric.shared.redis;

import io.parametric.shared.ProcessError;
import java.time.Duration;
import java.util.Locale;

/**
 * When a script's writes count as done: once the master ran it ({@link #MASTER}, the default), or
 * once a replica has them too ({@link #REPLICATED}: {@link Redis} sends {@code WAIT 1} right after
 * each script, on the same connection). Set with the system property {@code pp.durability} or the
 * environment variable {@code PP_DURABILITY} ({@code master} or {@code replicated}); a manager
 * passes its setting on to the workers it starts.
 *
 * <pre>{@code
 * PP_DURABILITY=replicated java -jar parametric-worker.jar ...
 * java -Dpp.durability=replicated -jar my-manager.jar
 * }</pre>
 */
public enum Durability {

    /** A script's writes count once the master ran it; a failover can lose the last ones not yet replicated. */
    MASTER,

    /**
     * A script's writes count once one replica acknowledged them ({@code WAIT 1} for at most
     * {@link #WAIT_TIMEOUT}). While no replica acknowledges, writes count on the master alone and
     * one warning says so; see {@code RELIABILITY.md}.
     */
    REPLICATED;

    /** How long {@code WAIT} waits for a replica before the write counts on the master alone. */
    public static final Duration WAIT_TIMEOUT = Duration.ofSeconds(1);

    /** The system property a manager reads (before the environment). */
    public static final String PROPERTY = "pp.durability";

    /** The environment variable workers (and managers without the property) read. */
    public static final String ENV = "PP_DURABILITY";

    /**
     * @return the setting of {@value #PROPERTY}, else {@value #ENV}, else {@link #MASTER}
     * @throws ProcessError ILLEGAL_STATE naming the value when it is neither {@code master} nor {@code replicated}
     */
    public static Durability configured() {
        String property = System.getProperty(PROPERTY);
        String value = property != null && !property.isBlank() ? property : System.getenv(ENV);
        String origin = property != null && !property.isBlank() ? PROPERTY : ENV;
        if (value == null || value.isBlank()) {
            return MASTER;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProcessError(ProcessError.Reason.ILLEGAL_STATE,
                    origin + "=" + value + " is not a durability; use 'master' (the default) or 'replicated'");
        }
    }

    /** @return the value as written in {@value #PROPERTY} / {@value #ENV} */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
