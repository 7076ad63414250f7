package io.parametric.shared.protocol;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every key {@link FleetKeys} builds, as the pattern {@code docs/protocol.md} writes it (after the
 * fleet prefix, with {@code <pid>}, {@code <name>}, {@code <id>} and {@code <manager>}
 * placeholders), in the order of {@code mirror-test.lua}.
 */
final class FleetKeyPatterns {

    private static final long PID = 987_654_321L;
    private static final long MINUTE = 123_456_789L;

    private FleetKeyPatterns() {
    }

    /** @return key pattern by FleetKeys method name */
    static Map<String, String> of(FleetKeys keys) {
        Map<String, String> patterns = new LinkedHashMap<>();
        patterns.put("pidCounter", keys.pidCounter());
        patterns.put("workers", keys.workers());
        patterns.put("openWorkers", keys.openWorkers());
        patterns.put("backlog", keys.backlog());
        patterns.put("delayed", keys.delayed());
        patterns.put("deadLetter", keys.deadLetter());
        patterns.put("reaperLock", keys.reaperLock());
        patterns.put("redisRunId", keys.redisRunId());
        patterns.put("staleFinishes", keys.staleFinishes());
        patterns.put("orphans", keys.orphans());
        patterns.put("worker", keys.worker(PID));
        patterns.put("pending", keys.pending(PID));
        patterns.put("inFlight", keys.inFlight(PID));
        patterns.put("signals", keys.signals(PID));
        patterns.put("value", keys.value("<name>"));
        patterns.put("workerValue", keys.workerValue(PID, "<name>"));
        patterns.put("completions", keys.completions("<manager>"));
        patterns.put("minute", keys.minute(MINUTE));
        patterns.put("events", keys.events());
        patterns.put("listening", keys.listening());
        patterns.put("protocolVersion", keys.protocolVersion());
        patterns.put("settings", keys.settings());
        patterns.put("jobs", keys.jobs());
        patterns.put("lambdas", keys.lambdas());
        patterns.put("records", keys.records());
        patterns.put("finished", keys.finished());
        patterns.put("jobKeys", keys.jobKeys());
        patterns.put("watchers", keys.watchers());
        patterns.put("members", keys.members());
        patterns.replaceAll((method, key) -> key.substring(keys.prefix().length()).replace(Long.toString(PID), "<pid>")
                .replace(Long.toString(MINUTE), "<n>"));
        return patterns;
    }

    /** @return the names of the public FleetKeys methods that build a key */
    static Set<String> keyMethods() {
        return Arrays.stream(FleetKeys.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(n -> !n.equals("fleet") && !n.equals("prefix") && !n.equals("shard"))
                .collect(Collectors.toSet());
    }
}
