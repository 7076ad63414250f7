package io.parametric.worker;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.Placement;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The manager side of worker ITs, driven through the protocol classes: places jobs and reads outcomes. */
final class TestManager implements AutoCloseable {

    final Redis redis;
    final Fleet fleet;
    final String managerId;

    TestManager(String redisUrl, String fleetName) {
        this(redisUrl, fleetName, "m-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A manager with a given id, e.g. the same manager reconnecting after a Redis restart. */
    TestManager(String redisUrl, String fleetName, String managerId) {
        this.redis = new Redis(redisUrl, 4);
        this.fleet = new Fleet(redis, new FleetKeys(fleetName), TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
        this.managerId = managerId;
    }

    FleetKeys keys() {
        return fleet.keys();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** @return the placed payload's JSON with a fresh id and this manager */
    String json(JobPayload p, String id) {
        return Json.write(p.placed(id, managerId));
    }

    /** Places a job on a worker without a type check at placement (the worker does its own). */
    String place(long pid, JobPayload p) {
        String id = newId();
        fleet.place(List.of(Placement.onWorker(id, json(p, id), "", managerId, pid)), null);
        return id;
    }

    /** Places many jobs on one worker in one call; returns their ids in order. */
    List<String> placeAll(long pid, List<JobPayload> jobs) {
        List<String> ids = new ArrayList<>();
        List<Placement> placements = new ArrayList<>();
        for (JobPayload p : jobs) {
            String id = newId();
            ids.add(id);
            placements.add(Placement.onWorker(id, json(p, id), "", managerId, pid));
        }
        fleet.place(placements, null);
        return ids;
    }

    /** Places a job on the first open worker, else the fleet backlog; returns its id. */
    String submit(JobPayload p) {
        String id = newId();
        fleet.place(List.of(new Placement(id, json(p, id), "", managerId, Placement.BACKLOG, Placement.BACKLOG)), null);
        return id;
    }

    /** @return the next outcome pushed to this manager's completion list (fails after the timeout) */
    Outcome next(Duration timeout) {
        List<String> popped = fleet.nextCompletions(managerId, timeout, 1);
        if (popped.isEmpty()) {
            throw new AssertionError("no outcome within " + timeout);
        }
        return Json.read(popped.get(0), Outcome.class);
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

    @Override
    public void close() {
        redis.close();
    }
}
