package io.parametric.cli;

import io.parametric.manager.FleetStats;
import io.parametric.manager.WorkerStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link FleetStats} as JSON: the fields are named after its accessors and those of
 * {@link WorkerStats}; instants are ISO-8601 text, durations whole milliseconds ({@code …Ms}).
 */
final class StatsJson {

    private StatsJson() {}

    /**
     * @param s the snapshot
     * @return a map ready for a JSON writer
     */
    static Map<String, Object> of(FleetStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fleet", s.fleet());
        m.put("at", s.at().toString());
        m.put("backlog", s.backlog());
        m.put("delayed", s.delayed());
        m.put("dead", s.dead());
        m.put("queued", s.queued());
        m.put("running", s.running());
        m.put("doneLastMinute", s.doneLastMinute());
        m.put("failedLastMinute", s.failedLastMinute());
        m.put("workers", s.workers().stream().map(StatsJson::of).toList());
        m.put("minutes", s.minutes().stream().map(x -> {
            Map<String, Object> minute = new LinkedHashMap<>();
            minute.put("start", x.start().toString());
            minute.put("done", x.done());
            minute.put("failed", x.failed());
            return minute;
        }).toList());
        return m;
    }

    private static Map<String, Object> of(WorkerStats w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", w.pid());
        m.put("name", w.name());
        m.put("kind", w.kind());
        m.put("host", w.host());
        m.put("state", w.state());
        m.put("queued", w.queued());
        m.put("runningJobId", w.runningJobId());
        m.put("runningSince", w.runningSince() == null ? null : w.runningSince().toString());
        m.put("done", w.done());
        m.put("failed", w.failed());
        m.put("heartbeatAgeMs", w.heartbeatAge().toMillis());
        m.put("missingClass", w.missingClass());
        return m;
    }
}
