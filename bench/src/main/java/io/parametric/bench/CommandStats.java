package io.parametric.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Calls per Redis command as {@code INFO commandstats} reports them (commands run inside Lua
 * scripts included), and the difference of two such snapshots.
 *
 * <pre>{@code
 * CommandStats before = redis.commandStats();
 * work();
 * CommandStats delta = redis.commandStats().minus(before).without("info");
 * double perJob = delta.total() / (double) jobs;
 * }</pre>
 *
 * @param calls calls per command name (lower case; subcommands as {@code config|set})
 */
record CommandStats(Map<String, Long> calls) {

    private static final String PREFIX = "cmdstat_";

    /**
     * @param info the text of {@code INFO commandstats}
     * @return its calls per command
     */
    static CommandStats parse(String info) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            int colon = line.indexOf(':');
            int start = line.indexOf("calls=", colon);
            if (colon < 0 || start < 0) {
                continue;
            }
            int end = line.indexOf(',', start);
            calls.put(line.substring(PREFIX.length(), colon),
                    Long.parseLong(line.substring(start + "calls=".length(), end < 0 ? line.length() : end)));
        }
        return new CommandStats(calls);
    }

    /**
     * @param earlier a snapshot taken before this one
     * @return the calls made between the two
     */
    CommandStats minus(CommandStats earlier) {
        Map<String, Long> delta = new TreeMap<>();
        calls.forEach((name, n) -> {
            long d = n - earlier.calls.getOrDefault(name, 0L);
            if (d > 0) {
                delta.put(name, d);
            }
        });
        return new CommandStats(delta);
    }

    /**
     * @param names commands to leave out (the benchmark's own INFO and SLOWLOG calls)
     * @return these counts without them
     */
    CommandStats without(String... names) {
        Map<String, Long> rest = new TreeMap<>(calls);
        for (String name : names) {
            rest.keySet().removeIf(k -> k.equals(name) || k.startsWith(name + "|"));
        }
        return new CommandStats(rest);
    }

    /** @return all calls */
    long total() {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @param per what to divide by (jobs, placements)
     * @param limit how many commands to name
     * @return the most called commands, e.g. {@code fcall 2.00, blmove 1.00}
     */
    String top(double per, int limit) {
        Map<String, Long> sorted = calls.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        return sorted.entrySet().stream()
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / per))
                .collect(Collectors.joining(", "));
    }
}
