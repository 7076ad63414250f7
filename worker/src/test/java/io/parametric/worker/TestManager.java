package io.parametric.worker;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.JobIds;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.Placement;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The manager side of worker ITs, driven through the protocol classes: places jobs and reads outcomes. */
final class TestManager implements AutoCloseable {

    final Redis redis;
    final Fleet fleet;
    final String managerId;

    TestManager(String redisUrl, String fleetName) {
        this(redisUrl, fleetName, new JobIds().managerId());
    }

    /** A manager with a given id, e.g. the same manager reconnecting after a Redis restart. */
    TestManager(String redisUrl, String fleetName, String managerId) {
        this.redis = new Redis(redisUrl, 4);
        this.fleet = new Fleet(redis, new FleetKeys(fleetName), TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
        this.managerId = managerId;
        // A manager reconnecting under the same id must not give out the ids it gave before (a
        // placement under a known id is a repeat, and is skipped): continue from the clock.
        this.ids.set(System.currentTimeMillis());
    }

    FleetKeys keys() {
        return fleet.keys();
    }

    private final AtomicLong ids = new AtomicLong();

    /** @return a fresh job id of this manager ({@code <manager id>.<n>}, as {@link JobIds} makes them) */
    String newId() {
        return managerId + "." + Long.toString(ids.incrementAndGet(), 36);
    }

    /** @return the payload with a fresh id and this manager */
    JobPayload placed(JobPayload p, String id) {
        return p.placed(id, managerId);
    }

    /** Places a job on a worker without a type check at placement (the worker does its own). */
    String place(long pid, JobPayload p) {
        String id = newId();
        fleet.place(List.of(Placement.onWorker(placed(p, id), "", pid)), null, Duration.ZERO);
        return id;
    }

    /** Places many jobs on one worker in one call; returns their ids in order. */
    List<String> placeAll(long pid, List<JobPayload> jobs) {
        List<String> ids = new ArrayList<>();
        List<Placement> placements = new ArrayList<>();
        for (JobPayload p : jobs) {
            String id = newId();
            ids.add(id);
            placements.add(Placement.onWorker(placed(p, id), "", pid));
        }
        fleet.place(placements, null, Duration.ZERO);
        return ids;
    }

    /** Places a job on the first open worker, else the fleet backlog; returns its id. */
    String submit(JobPayload p) {
        String id = newId();
        fleet.place(List.of(new Placement(placed(p, id), "", Placement.BACKLOG, Placement.BACKLOG)), null, Duration.ZERO);
        return id;
    }

    /** @return the next outcome pushed to this manager's completion list (fails after the timeout) */
    Outcome next(Duration timeout) {
        List<String> popped = fleet.nextCompletions(managerId, timeout, 1);
        if (popped.isEmpty()) {
            throw new AssertionError("no outcome within " + timeout);
        }
        Outcome o = fleet.readOutcome(popped.get(0));
        if (o == null) {
            throw new AssertionError("an outcome with a wrong signature: " + popped.get(0));
        }
        return o;
    }

    /** @return the outcome of one job, skipping (and failing on) none: outcomes of other jobs before it are dropped */
    Outcome outcomeOf(String jobId) {
        for (int i = 0; i < 100; i++) {
            Outcome o = next();
            if (o.jobId().equals(jobId)) {
                return o;
            }
        }
        throw new AssertionError("no outcome for job " + jobId);
    }

    Outcome next() {
        return next(Duration.ofSeconds(20));
    }

    /** @return the next outcomes, n of them */
    List<Outcome> next(int n, Duration timeout) {
        List<Outcome> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(next(timeout));
        }
        return all;
    }

    /**
     * Queues an id on a worker behind the scripts' back, then wakes the worker as placement does
     * (a {@code j} on its signals channel), so it takes the id at once.
     */
    void pushRaw(long pid, String id) {
        redis.rpush(keys().pending(pid), id);
        redis.publish(keys().signals(pid), "j");
    }

    /** @return the job's state as the fleet knows it ({@code queued} without a record), or null when unknown */
    String state(String jobId) {
        return fleet.job(jobId).map(JobRecord::state).orElse(null);
    }

    /** @return the job's record ({@link JobRecord#QUEUED} without one); fails when the fleet does not know it */
    JobRecord record(String jobId) {
        return fleet.job(jobId).orElseThrow(() -> new AssertionError("no job " + jobId + " in the fleet"));
    }

    @Override
    public void close() {
        redis.close();
    }
}
