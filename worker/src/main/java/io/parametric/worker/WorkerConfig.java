package io.parametric.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The settings of one worker process, from {@code PP_*} environment variables and flags.
 *
 * @param redisUrl the Redis URL ({@code PP_REDIS_URL})
 * @param fleet the fleet name ({@code PP_FLEET}, default {@code default})
 * @param slots workers in this process, each with its own pid and queue ({@code PP_SLOTS}, default 1)
 * @param namePrefix slots are named {@code <prefix>-<pid>} ({@code PP_NAME}, default the host name)
 * @param exactName the exact name of the only slot, or null
 * @param allow package prefixes whose classes jobs may run ({@code PP_ALLOW}; {@code *} for every class)
 * @param jobs extra jars or folders of job code ({@code PP_JOBS})
 * @param shutdownTimeout how long SIGTERM waits for running jobs ({@code PP_SHUTDOWN_TIMEOUT}, default 25 s)
 * @param heartbeat heartbeat interval ({@code PP_HEARTBEAT}, default 2 s)
 * @param lease how long without a heartbeat before a worker counts as dead ({@code PP_LEASE}, default 10 s)
 * @param parentPid an OS process whose end makes this worker exit like on SIGTERM, or null
 * @param announce print {@code PP_READY <pid> <name>} on stdout when each slot is registered
 */
public record WorkerConfig(
        String redisUrl,
        String fleet,
        int slots,
        String namePrefix,
        String exactName,
        List<String> allow,
        List<Path> jobs,
        Duration shutdownTimeout,
        Duration heartbeat,
        Duration lease,
        Long parentPid,
        boolean announce) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the setting that is wrong and how to fix it
     */
    public WorkerConfig {
        if (slots < 1) {
            throw new IllegalArgumentException("slots (--slots / PP_SLOTS) must be at least 1, got " + slots);
        }
        if (exactName != null && slots != 1) {
            throw new IllegalArgumentException("--exact-name names a single slot; use it with --slots 1");
        }
        if (fleet == null || !fleet.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("fleet (--fleet / PP_FLEET) '" + fleet + "' must be letters, digits, '.', '_' or '-'");
        }
        for (Duration d : List.of(shutdownTimeout, heartbeat, lease)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive, got " + d);
            }
        }
        allow = List.copyOf(allow);
        jobs = List.copyOf(jobs);
    }

    /**
     * Reads a duration as people write it: {@code 25s}, {@code 2m}, {@code 500ms}, {@code 1h},
     * a plain number of seconds, or ISO-8601 ({@code PT25S}).
     *
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException when the text is none of these
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            double n = Double.parseDouble(t.substring(0, t.length() - 1).trim());
            return switch (unit) {
                case 's' -> Duration.ofMillis(Math.round(n * 1000));
                case 'm' -> Duration.ofMillis(Math.round(n * 60_000));
                case 'h' -> Duration.ofMillis(Math.round(n * 3_600_000));
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; write 25s, 2m, 500ms, 1h or ISO-8601 like PT25S");
        }
    }
}
