package io.parametric.cli;

import io.parametric.manager.JobEvent;
import io.parametric.manager.internal.EventStream;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's latest failed jobs, learnt from the job events of every shard while the dashboard
 * runs (so the fleet writes events meanwhile); their errors are read from the job records, on the
 * shard that ran each, when asked. A shard added since is listened to from the next ask.
 */
final class RecentFailures implements AutoCloseable {

    private static final int KEEP = 20;

    /** A failure and the shard whose events told of it. */
    private record Failure(Fleet shard, JobEvent event) {}

    private final FleetShards shards;
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final List<EventStream> streams = new ArrayList<>();

    /** @param shards the fleet to listen to, every shard of it */
    RecentFailures(FleetShards shards) {
        this.shards = shards;
        listenToNewShards();
    }

    private synchronized void listenToNewShards() {
        for (Fleet shard : shards.all().subList(streams.size(), shards.count())) {
            streams.add(EventStream.listen(shard, e -> seen(shard, e)));
        }
    }

    private synchronized void seen(Fleet shard, JobEvent e) {
        if (e.kind() == JobEvent.Kind.FAILED) {
            failures.addFirst(new Failure(shard, e));
            while (failures.size() > KEEP) {
                failures.removeLast();
            }
        }
    }

    /** @return the latest failures, newest first: job id, pid, time, and the outcome read from the job record */
    List<Map<String, Object>> latest() {
        listenToNewShards();
        List<Failure> copy;
        synchronized (this) {
            copy = new ArrayList<>(failures);
        }
        Map<String, JobRecord> records = new HashMap<>();
        copy.stream().map(Failure::shard).distinct().forEach(shard -> {
            List<String> ids = copy.stream().filter(f -> f.shard() == shard).map(f -> f.event().jobId()).toList();
            List<JobRecord> read = shard.records(ids);
            for (int i = 0; i < ids.size(); i++) {
                if (read.get(i) != null) {
                    records.put(ids.get(i), read.get(i));
                }
            }
        });
        List<Map<String, Object>> list = new ArrayList<>();
        for (Failure f : copy) {
            JobEvent e = f.event();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobId", e.jobId());
            m.put("pid", e.pid());
            m.put("type", e.type());
            m.put("at", e.at().toString());
            JobRecord r = records.get(e.jobId());
            Outcome o = r == null || r.outcome() == null ? null : f.shard().readOutcome(r.outcome());
            m.put("outcome", o == null ? null : Json.write(o));
            list.add(m);
        }
        return list;
    }

    @Override
    public synchronized void close() {
        streams.forEach(EventStream::close);
    }
}
