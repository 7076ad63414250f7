package io.parametric.shared.protocol;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads durations as people write them in configuration: {@code 500ms}, {@code 25s}, {@code 2m},
 * {@code 24h}, {@code 7d} or ISO-8601; writes them short for tables and progress lines.
 */
public final class Durations {

    private Durations() {}

    /**
     * {@code Durations.parse("2m")} is two minutes; a bare number is seconds; {@code 1.5s} is
     * 1,500 ms.
     *
     * @param text the duration
     * @return the duration
     * @throws IllegalArgumentException when the text is none of the accepted forms, naming them
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String number = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1).trim();
            double n = Double.parseDouble(number);
            long unitMillis = switch (unit) {
                case 's' -> 1_000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException();
                    }
                    yield 1_000L;
                }
            };
            return Duration.ofMillis(Math.round(n * unitMillis));
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it like 500ms, 25s, 2m, 24h, 7d or PT30S", e);
        }
    }

    /**
     * The short form tables and progress lines show: {@code 850ms}, {@code 4.2s}, {@code 3m07s}, {@code 2h05m}.
     *
     * @param d a duration, or null
     * @return its short form; {@code -} for null
     */
    public static String format(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
