package io.parametric.cli;

import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job as {@code jobs show} presents it, read from its record: state, worker, deliveries,
 * progress and its outcome (only when its signature is right: see {@code Fleet.readOutcome}).
 */
final class JobView {

    private final String id;
    private final JobRecord record;
    private final Outcome outcome;

    /**
     * @param id the job id
     * @param record its record
     * @param outcome its outcome, or the last failure of a job waiting for a retry; null when none
     */
    JobView(String id, JobRecord record, Outcome outcome) {
        this.id = id;
        this.record = record;
        this.outcome = outcome;
    }

    /** @return the job as a JSON-ready map */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", record.state());
        m.put("pid", record.pid() == 0 ? "" : Long.toString(record.pid()));
        m.put("manager", id.contains(".") ? id.substring(0, id.indexOf('.')) : null);
        m.put("changed", record.ms() == 0 ? null : Instant.ofEpochMilli(record.ms()).toString());
        m.put("deliveries", record.deliveries());
        m.put("attempts", record.attempts());
        m.put("progress", record.progress());
        m.put(record.state().equals("delayed") ? "lastError" : "outcome", outcome == null ? null : Json.MAPPER.valueToTree(outcome));
        return m;
    }

    /** @return the job as text: state, worker, deliveries, outcome or error with its stack trace */
    String render() {
        StringBuilder b = new StringBuilder();
        b.append("job ").append(id).append(": ").append(record.state());
        b.append(record.pid() == 0 ? "" : " on worker " + record.pid()).append('\n');
        if (record.ms() != 0) {
            b.append("  last change ").append(Instant.ofEpochMilli(record.ms())).append('\n');
        }
        b.append("  deliveries ").append(record.deliveries()).append(", retries used ").append(record.attempts())
                .append(record.progress() > 0 ? ", progress " + record.progress() : "").append('\n');
        if (outcome != null) {
            b.append(outcomeText(record.state().equals("delayed") ? "last error (will retry)" : "outcome"));
        }
        return b.toString();
    }

    private String outcomeText(String label) {
        if (outcome.ok()) {
            return "  " + label + ": returned " + clip(String.valueOf(outcome.value()), 500) + "\n";
        }
        StringBuilder b = new StringBuilder("  " + label + ": failed " + outcome.reason());
        if (outcome.errorClass() != null) {
            b.append(' ').append(outcome.errorClass());
        }
        b.append(": ").append(outcome.message() == null ? "" : outcome.message()).append('\n');
        if (outcome.stackTrace() != null) {
            outcome.stackTrace().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        }
        return b.toString();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " characters)";
    }
}
