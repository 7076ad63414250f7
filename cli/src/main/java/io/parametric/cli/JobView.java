package io.parametric.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.protocol.Durations;
import io.parametric.shared.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job as {@code jobs show} presents it, read from its job hash. The hash comes from Redis and
 * is treated as untrusted: a field that does not parse is shown as it is, never thrown on.
 */
final class JobView {

    private final String id;
    private final Map<String, String> hash;

    /**
     * @param id the job id
     * @param hash its job hash (non-empty)
     */
    JobView(String id, Map<String, String> hash) {
        this.id = id;
        this.hash = hash;
    }

    /** @return the job as a JSON-ready map: hash fields, times as ISO-8601, payload summary, outcome as JSON */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", hash.get("state"));
        m.put("pid", hash.getOrDefault("pid", ""));
        m.put("type", hash.getOrDefault("type", ""));
        m.put("manager", hash.get("manager"));
        for (String t : new String[] {"created", "started", "finished"}) {
            m.put(t, time(t));
        }
        m.put("deliveries", hash.get("deliveries"));
        m.put("attempts", hash.get("attempts"));
        m.put("progress", hash.get("progress"));
        m.put("payload", payloadSummary());
        m.put("outcome", tree(hash.get("outcome")));
        m.put("lastError", tree(hash.get("lastError")));
        return m;
    }

    /** @return the job as text: state, times, payload summary, outcome or error with its stack trace */
    String render() {
        StringBuilder b = new StringBuilder();
        b.append("job ").append(id).append(": ").append(hash.getOrDefault("state", "?"));
        String pid = hash.getOrDefault("pid", "");
        b.append(pid.isEmpty() ? "" : " on worker " + pid);
        String type = hash.getOrDefault("type", "");
        b.append(type.isEmpty() ? "" : ", type " + type).append('\n');
        b.append("  created ").append(orDash(time("created"))).append(", started ").append(orDash(time("started")))
                .append(", finished ").append(orDash(time("finished")));
        Duration ran = between("started", "finished");
        b.append(ran == null ? "" : " (ran " + Durations.format(ran) + ")").append('\n');
        b.append("  deliveries ").append(hash.getOrDefault("deliveries", "0"))
                .append(hash.containsKey("attempts") ? ", retries used " + hash.get("attempts") : "")
                .append(hash.containsKey("progress") ? ", progress " + hash.get("progress") : "").append('\n');
        b.append("  payload ").append(payloadText()).append('\n');
        String outcome = hash.get("outcome");
        if (outcome != null) {
            b.append(outcomeText("outcome", outcome));
        } else if (hash.get("lastError") != null) {
            b.append(outcomeText("last error (will retry)", hash.get("lastError")));
        }
        return b.toString();
    }

    private String outcomeText(String label, String json) {
        JsonNode o = tree(json);
        if (o == null || !o.isObject()) {
            return "  " + label + " (unreadable) " + json + "\n";
        }
        if (o.path("ok").asBoolean(false)) {
            return "  " + label + ": returned " + clip(o.path("value").toString(), 500) + "\n";
        }
        StringBuilder b = new StringBuilder("  " + label + ": failed " + o.path("reason").asText("?"));
        if (o.hasNonNull("errorClass")) {
            b.append(' ').append(o.get("errorClass").asText());
        }
        b.append(": ").append(o.path("message").asText("")).append('\n');
        if (o.hasNonNull("stackTrace")) {
            o.get("stackTrace").asText().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        }
        return b.toString();
    }

    private String payloadText() {
        Map<String, Object> p = payloadSummary();
        if (p.isEmpty()) {
            return "(none)";
        }
        if (p.containsKey("unreadable")) {
            return "unreadable (" + p.get("bytes") + " bytes)";
        }
        String what = "type".equals(p.get("form")) ? "type " + p.get("type")
                : p.getOrDefault("form", "?") + " " + p.getOrDefault("className", "?")
                        + (p.containsKey("method") ? "::" + p.get("method") : "");
        return what + " (" + p.get("captured") + " captured, " + p.get("args") + " args, " + p.get("bytes") + " bytes)";
    }

    private Map<String, Object> payloadSummary() {
        Map<String, Object> s = new LinkedHashMap<>();
        String payload = hash.get("payload");
        if (payload == null) {
            return s;
        }
        s.put("bytes", payload.getBytes(StandardCharsets.UTF_8).length);
        JsonNode p = tree(payload);
        if (p == null || !p.isObject()) {
            s.put("unreadable", true);
            return s;
        }
        for (String f : new String[] {"form", "type", "className", "method"}) {
            if (p.hasNonNull(f)) {
                s.put(f, p.get(f).asText());
            }
        }
        s.put("captured", p.path("captured").size());
        s.put("args", p.path("args").size());
        for (String f : new String[] {"retries", "timeoutMs", "maxDeliveries", "pinned"}) {
            if (p.hasNonNull(f)) {
                s.put(f, p.get(f).asText());
            }
        }
        return s;
    }

    private String time(String field) {
        String ms = hash.get(field);
        try {
            return ms == null || ms.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(ms)).toString();
        } catch (NumberFormatException e) {
            return ms;
        }
    }

    private Duration between(String from, String to) {
        try {
            return Duration.ofMillis(Long.parseLong(hash.get(to)) - Long.parseLong(hash.get(from)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return Json.MAPPER.getNodeFactory().textNode(json);
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " characters)";
    }
}
