package io.parametric.cli;

import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import io.parametric.manager.JobEvent;
import io.parametric.manager.internal.EventStream;
import io.parametric.shared.protocol.Fleet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's latest failed jobs, learnt from its job events while the dashboard runs (so the
 * fleet writes events meanwhile); their errors are read from the job records when asked.
 */
final class RecentFailures implements AutoCloseable {

    private static final int KEEP = 20;

    private final Fleet fleet;
    private final Deque<JobEvent> failures = new ArrayDeque<>();
    private final EventStream events;

    /** @param fleet the fleet to listen to */
    RecentFailures(Fleet fleet) {
        this.fleet = fleet;
        this.events = EventStream.listen(fleet, this::seen);
    }

    private synchronized void seen(JobEvent e) {
        if (e.kind() == JobEvent.Kind.FAILED) {
            failures.addFirst(e);
            while (failures.size() > KEEP) {
                failures.removeLast();
            }
        }
    }

    /** @return the latest failures, newest first: job id, pid, time, and the outcome read from the job record */
    List<Map<String, Object>> latest() {
        List<JobEvent> copy;
        synchronized (this) {
            copy = new ArrayList<>(failures);
        }
        List<JobRecord> records = fleet.records(copy.stream().map(JobEvent::jobId).toList());
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < copy.size(); i++) {
            JobEvent e = copy.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobId", e.jobId());
            m.put("pid", e.pid());
            m.put("type", e.type());
            m.put("at", e.at().toString());
            JobRecord r = records.get(i);
            Outcome o = r == null || r.outcome() == null ? null : fleet.readOutcome(r.outcome());
            m.put("outcome", o == null ? null : Json.write(o));
            list.add(m);
        }
        return list;
    }

    @Override
    public void close() {
        events.close();
    }
}
