package io.parametric.shared.protocol;

import java.time.Duration;

/**
 * The bounds that keep a fleet's Redis memory bounded, read once from configuration: how long a
 * finished job's hash is kept ({@code PP_JOB_TTL} or the system property {@code pp.job.ttl},
 * default 24 h) and the largest payload or return ({@code PP_MAX_PAYLOAD} or
 * {@code pp.maxPayloadBytes}, bytes, default 1 MiB). A system property wins over the environment.
 *
 * <pre>{@code
 * Fleet fleet = new Fleet(redis, keys, FleetSecret.required(), Limits.jobTtl());
 * }</pre>
 */
public final class Limits {

    /** Default largest payload or return, in bytes of UTF-8 JSON. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

    private Limits() {}

    /**
     * @return how long a finished job record is kept at most (PP_JOB_TTL / pp.job.ttl), default {@link Fleet#DEFAULT_JOB_TTL}
     * @throws IllegalArgumentException when the setting is not a duration of at least one second
     */
    public static Duration jobTtl() {
        String text = setting("pp.job.ttl", "PP_JOB_TTL");
        if (text == null) {
            return Fleet.DEFAULT_JOB_TTL;
        }
        Duration ttl = Durations.parse(text);
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("PP_JOB_TTL / pp.job.ttl must be at least 1s, not '" + text + "'");
        }
        return ttl;
    }

    /**
     * @return the configured largest payload or return in bytes, default {@value #DEFAULT_MAX_PAYLOAD_BYTES}
     * @throws IllegalArgumentException when the setting is not a positive number
     */
    public static int maxPayloadBytes() {
        String text = setting("pp.maxPayloadBytes", "PP_MAX_PAYLOAD");
        if (text == null) {
            return DEFAULT_MAX_PAYLOAD_BYTES;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("PP_MAX_PAYLOAD / pp.maxPayloadBytes must be a positive number of bytes, not '" + text + "'");
    }

    /** How long a placement waits for room in a full backlog by default. */
    public static final Duration DEFAULT_BACKLOG_WAIT = Duration.ofSeconds(30);

    /**
     * @return how many finished job records a fleet keeps at most ({@code PP_KEEP_FINISHED} /
     *     {@code pp.keep.finished}), default {@link ProtocolSettings#DEFAULT_KEEP_FINISHED}
     * @throws IllegalArgumentException when the setting is not a number of at least 1
     */
    public static long keepFinished() {
        String text = setting("pp.keep.finished", "PP_KEEP_FINISHED");
        if (text == null) {
            return ProtocolSettings.DEFAULT_KEEP_FINISHED;
        }
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("PP_KEEP_FINISHED / pp.keep.finished must be a number of at least 1, not '" + text + "'");
    }

    /**
     * @return how long a placement waits for room in a full backlog ({@code PP_BACKLOG_WAIT} /
     *     {@code pp.backlog.wait}), default {@link #DEFAULT_BACKLOG_WAIT}
     */
    public static Duration backlogWait() {
        String text = setting("pp.backlog.wait", "PP_BACKLOG_WAIT");
        return text == null ? DEFAULT_BACKLOG_WAIT : Durations.parse(text);
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
