package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fleet of its own on the tests' Redis, with one manager's job ids, and the steps the protocol
 * tests ({@link FleetIT}, {@link ReaperIT}) share: register a worker, make and place a job, take,
 * read the manager's completion list.
 */
final class TestFleet implements AutoCloseable {

    final Redis redis;
    final FleetKeys keys;
    final Fleet fleet;
    final JobIds ids = new JobIds();

    /** @param test names the fleet */
    TestFleet(String test) {
        this.redis = new Redis(TestRedis.url(), 4);
        this.keys = new FleetKeys(TestRedis.uniqueFleet(test));
        this.fleet = new Fleet(redis, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
    }

    /**
     * @param jobTtl how long finished records are kept
     * @param maxPayloadBytes the largest entry
     * @return another Fleet on the same keys and connection
     */
    Fleet withLimits(Duration jobTtl, int maxPayloadBytes) {
        return new Fleet(redis, keys, TestSecret.secret(), jobTtl, maxPayloadBytes);
    }

    /** @return the manager id this fleet's jobs name */
    String manager() {
        return ids.managerId();
    }

    /**
     * @param types the job types it lists, ",a,b,"
     * @return the pid of a newly registered worker slot
     */
    long register(String types) {
        long pid = fleet.newPid();
        fleet.register(pid, Map.of("name", "w-" + pid, "types", types));
        return pid;
    }

    /** @return a worker slot listing the type {@code echo} */
    long register() {
        return register(",echo,");
    }

    /** @return a new job of the registered type {@code echo} */
    JobPayload job() {
        return job(0, JobPayload.DEFAULT_MAX_DELIVERIES, false);
    }

    /**
     * @param retries retries of a job that throws
     * @param maxDeliveries deliveries before it is poison
     * @param pinned never moves to another worker
     * @return a new job of the registered type {@code echo}
     */
    JobPayload job(int retries, int maxDeliveries, boolean pinned) {
        return new JobPayload(JobPayload.VERSION, ids.next(), ids.managerId(), JobPayload.TYPE, "echo", null, null,
                null, null, null, List.of(), List.of(), null, null, retries, maxDeliveries, pinned);
    }

    /**
     * @param key the job's key ({@code withKey})
     * @return a new keyed job of the registered type {@code echo}
     */
    JobPayload keyed(String key) {
        return new JobPayload(JobPayload.VERSION, ids.next(), ids.managerId(), JobPayload.TYPE, "echo", null, null,
                null, null, null, List.of(), List.of(), null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false, null, key);
    }

    /**
     * Places jobs on one worker's list.
     *
     * @param pid the worker
     * @param jobs the jobs
     * @return their ids, in order
     */
    List<String> placeOn(long pid, JobPayload... jobs) {
        List<Placement> placements = java.util.Arrays.stream(jobs).map(j -> Placement.onWorker(j, "echo", pid)).toList();
        assertThat(fleet.place(placements, null, Duration.ZERO)).extracting(Fleet.Placed::pid).containsOnly(pid);
        return placements.stream().map(Placement::jobId).toList();
    }

    /**
     * Places a job on the first open worker, else the backlog.
     *
     * @param job the job
     * @return the pid it went to, 0 for the backlog
     */
    long placeOpen(JobPayload job) {
        return fleet.place(List.of(new Placement(job, "echo", Placement.OPEN, Placement.BACKLOG)), null, Duration.ZERO)
                .get(0).pid();
    }

    /**
     * Takes one job and checks it is the expected one.
     *
     * @param pid the worker
     * @param jobId the job it must get
     * @return the taken job
     */
    Fleet.TakenJob takeOne(long pid, String jobId) {
        Fleet.Taken taken = fleet.take(pid, 1);
        assertThat(taken.gone()).isFalse();
        assertThat(taken.jobs()).extracting(Fleet.TakenJob::id).containsExactly(jobId);
        return taken.jobs().get(0);
    }

    /**
     * @param pid the worker
     * @param jobId the job
     * @param value what it returned
     * @return the code finish gave the outcome
     */
    ScriptCode succeed(long pid, String jobId, Object value) {
        return fleet.finish(pid, unread(Outcome.success(jobId, pid, Json.tree(value), 1)), 0).codes().get(0);
    }

    /**
     * @param outcomes outcomes of jobs whose entries the caller did not read
     * @return them as {@link Fleet#finish} takes them: the script reads each job's entry
     */
    static List<Fleet.Ran> unread(Outcome... outcomes) {
        return java.util.Arrays.stream(outcomes).map(o -> new Fleet.Ran(o, null)).toList();
    }

    /** @return the outcomes on this fleet's manager's completion list, each checked as a manager reads it */
    List<Outcome> completions() {
        return completions(manager());
    }

    /**
     * @param managerId a manager
     * @return the outcomes on its completion list, each checked as a manager reads it
     */
    List<Outcome> completions(String managerId) {
        return redis.lrange(keys.completions(managerId)).stream().map(fleet::readOutcome).map(Objects::requireNonNull)
                .toList();
    }

    /**
     * @param jobId a job
     * @return its record, failing when the fleet knows nothing of it
     */
    JobRecord record(String jobId) {
        return fleet.job(jobId).orElseThrow(() -> new AssertionError("the fleet knows no job " + jobId));
    }

    /**
     * Writes an entry behind the fleet's back and queues its id on a worker, as a foreign
     * writer with access to Redis could.
     *
     * @param pid the worker
     * @param jobId the id
     * @param entry the entry's text
     */
    void smuggle(long pid, String jobId, String entry) {
        redis.hset(keys.jobs(), Map.of(jobId, entry));
        redis.rpush(keys.pending(pid), jobId);
    }

    /**
     * @param jobId a job id
     * @return a type-form entry body naming this fleet's manager
     */
    String body(String jobId) {
        return "{\"id\":\"" + jobId + "\",\"m\":\"" + manager() + "\",\"form\":\"type\",\"type\":\"echo\"}";
    }

    /**
     * @param body an entry or outcome body
     * @return it with a signature of the right form that the fleet secret did not make
     */
    static String forged(String body) {
        return SignedForm.VERSION + " " + "A".repeat(FleetSecret.SIGNATURE_LENGTH) + " " + body;
    }

    /** @return the Redis server's {@code used_memory}, bytes */
    long usedMemory() {
        String info = redis.info("memory");
        return info.lines().filter(l -> l.startsWith("used_memory:")).map(l -> Long.parseLong(l.substring(12).trim()))
                .findFirst().orElseThrow();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        redis.close();
    }
}
