package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedis;
import io.parametric.worker.outside.Outside;
import io.parametric.worker.testjobs.Jobs;
import io.parametric.worker.testjobs.TestTypes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every kind of bad input fails its job (or goes to the dead-letter list) and the worker keeps serving. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private TestManager manager;
    private WorkerProcess worker;
    private long pid;

    @BeforeAll
    void startWorker() {
        String fleet = TestRedis.uniqueFleet("bad");
        manager = new TestManager(TestRedis.url(), fleet);
        worker = WorkerProcess.start(TestRedis.url(), fleet, 1, "--allow", "io.parametric.worker.testjobs");
        pid = worker.pid();
    }

    @AfterAll
    void stopWorker() {
        worker.close();
        manager.close();
    }

    @AfterEach
    void workerStillAnswersAGoodJob() {
        String id = manager.place(pid, JobPayloads.type("add", List.of(2, 3)));
        Outcome o = manager.outcomeOf(id);
        assertThat(o.ok()).as("a good job after the bad input; worker log:\n%s", worker.log()).isTrue();
        assertThat(o.value().asInt()).isEqualTo(5);
        assertThat(worker.process().isAlive()).isTrue();
    }

    private static JobPayload with(JobPayload p, String fingerprint, List<JsonNode> args) {
        return new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(), p.className(), p.method(),
                p.descriptor(), p.refKind(), fingerprint, p.captured(), args, p.value(), p.timeoutMs(),
                p.retries(), p.maxDeliveries(), p.pinned());
    }

    @Test
    void unknownJobTypeFailsListingTheWorkersTypes() {
        String id = manager.place(pid, JobPayloads.type("no-such-type", List.of(1)));
        Outcome o = manager.next();
        assertThat(o.jobId()).isEqualTo(id);
        assertThat(o.reason()).isEqualTo("UNKNOWN_JOB_TYPE");
        assertThat(o.message()).contains("no-such-type").contains("echo").contains("add").contains("sleep");
        assertThat(manager.state(id)).isEqualTo("failed");
    }

    @Test
    void wrongArgumentTypesOrCountAreBadPayload() {
        manager.place(pid, JobPayloads.type("add", List.of(2, "three")));
        Outcome wrongType = manager.next();
        assertThat(wrongType.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(wrongType.message()).contains("argument #2").contains("Integer");
        manager.place(pid, JobPayloads.type("add", List.of(2)));
        Outcome wrongCount = manager.next();
        assertThat(wrongCount.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(wrongCount.message()).contains("takes 2 argument(s)").contains("has 1");
        JobPayload lambda = JobPayloads.lambda(Jobs.exampleRef(), List.of(5, "x"));
        manager.place(pid, with(lambda, lambda.fingerprint(), List.of(Json.tree("five"), Json.tree("x"))));
        assertThat(manager.next().reason()).isEqualTo("BAD_PAYLOAD");
    }

    @Test
    void lambdaWhoseClassDiffersFromTheManagersIsRefused() {
        JobPayload lambda = JobPayloads.lambda(Jobs.exampleRef(), List.of(5, "x"));
        manager.place(pid, with(lambda, "f".repeat(64), lambda.args()));
        Outcome o = manager.next();
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains(Jobs.class.getName()).contains("differs from the manager's");
    }

    /** Sets a hash field to exact bytes with redis-cli (the client library only writes text); the password goes by environment. */
    private static void hsetRaw(String key, String field, byte[] bytes) throws Exception {
        java.net.URI uri = java.net.URI.create(TestRedis.url());
        ProcessBuilder pb = new ProcessBuilder("redis-cli", "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()),
                "-x", "HSET", key, field).redirectErrorStream(true);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            pb.environment().put("REDISCLI_AUTH", userInfo.substring(userInfo.indexOf(':') + 1));
        }
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(bytes);
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.trim()).as("HSET reply").matches("\\(integer\\) \\d+|\\d+");
    }

    private Map<?, ?> lastDeadLetter() {
        List<String> dead = manager.redis.lrange(manager.keys().deadLetter());
        return Json.read(dead.get(dead.size() - 1), Map.class);
    }

    /** Writes an entry behind the fleet's back: exact bytes into the jobs hash, its id on the worker's list. */
    private void writeRaw(String id, byte[] entry) throws Exception {
        hsetRaw(manager.keys().jobs(), id, entry);
        manager.pushRaw(pid, id);
    }

    @Test
    void entryThatIsNotUtf8IsDeadLetteredInRedisAndNeverRuns() throws Exception {
        long before = manager.redis.llen(manager.keys().deadLetter());
        String id = manager.newId();
        byte[] head = ("2 - {\"id\":\"" + id + "\",\"form\":\"type\",\"type\":\"echo\",\"args\":[\"").getBytes();
        byte[] entry = java.util.Arrays.copyOf(head, head.length + 4);
        entry[head.length] = (byte) 0xff;
        entry[head.length + 1] = (byte) 0xfe;
        entry[head.length + 2] = '"';
        entry[head.length + 3] = ']';
        writeRaw(id, entry);
        Outcome o = manager.outcomeOf(id);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("cannot be read");
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().deadLetter()) > before);
        Map<?, ?> record = lastDeadLetter();
        assertThat(record.get("jobId")).isEqualTo(id);
        assertThat(record.get("size")).isEqualTo(entry.length);
    }

    @Test
    void entryWithAForgedSignatureNeverRuns() throws Exception {
        String id = manager.newId();
        writeRaw(id, ("2 " + "A".repeat(43) + " {\"id\":\"" + id + "\",\"form\":\"type\",\"type\":\"echo\",\"args\":[1]}").getBytes());
        Outcome o = manager.outcomeOf(id);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("wrong signature");
    }

    @Test
    void hugeUnreadableEntryLeavesATruncatedDeadLetterRecordWithItsSizeAndHash() throws Exception {
        long before = manager.redis.llen(manager.keys().deadLetter());
        String id = manager.newId();
        String garbage = "2 - " + "x".repeat(300_000);
        writeRaw(id, garbage.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().deadLetter()) > before);
        Map<?, ?> record = lastDeadLetter();
        assertThat(((String) record.get("entry")).length()).isEqualTo(io.parametric.shared.protocol.ProtocolSettings.DEAD_LETTER_COPY_BYTES);
        assertThat(record.get("size")).isEqualTo(garbage.length());
        assertThat(record.get("truncated")).isEqualTo(true);
        // Made inside Redis (the entry never left it), which has SHA-1 for scripts.
        assertThat(record.get("sha1")).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-1").digest(garbage.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void jobIdWithANewlineIsDeadLetteredAndNeverForgesALogLine() {
        long before = manager.redis.llen(manager.keys().deadLetter());
        manager.pushRaw(pid, "x\nFORGED worker 1 registered");
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().deadLetter()) > before);
        assertThat((String) lastDeadLetter().get("reason")).contains("not a job id");
        assertThat(worker.log().lines()).noneMatch(l -> l.startsWith("FORGED"));
    }

    @Test
    void aTimeoutOfLongMaxValueIsEffectivelyNoneAndNeverKillsTheWorker() {
        JobPayload p = JobPayloads.type("add", List.of(20, 22));
        JobPayload forever = new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(), p.className(), p.method(),
                p.descriptor(), p.refKind(), p.fingerprint(), p.captured(), p.args(), p.value(), Long.MAX_VALUE,
                p.retries(), p.maxDeliveries(), p.pinned());
        String id = manager.place(pid, forever);
        assertThat(manager.outcomeOf(id).value().asInt()).isEqualTo(42);
        String next = manager.place(pid, JobPayloads.type("add", List.of(1, 1)));
        assertThat(manager.outcomeOf(next).value().asInt()).as("the worker outlived the grace after the timeout").isEqualTo(2);
    }

    @Test
    void unreadableEntryIsDeadLetteredInRedisAndItsJobFailsAtItsManager() throws Exception {
        String id = manager.newId();
        writeRaw(id, "{this is not json".getBytes());
        Outcome o = manager.outcomeOf(id);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(manager.redis.lrange(manager.keys().deadLetter())).anySatisfy(d -> {
            Map<?, ?> entry = Json.read(d, Map.class);
            assertThat(entry.get("entry")).isEqualTo("{this is not json");
            assertThat((String) entry.get("reason")).contains("protocol 1");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.redis.llen(manager.keys().inFlight(pid)) == 0);
    }

    @Test
    void unknownProtocolVersionIsDeadLetteredAndItsJobFails() throws Exception {
        String id = manager.newId();
        String future = "99 - {\"id\":\"" + id + "\",\"form\":\"hologram\"}";
        writeRaw(id, future.getBytes());
        Outcome o = manager.outcomeOf(id);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("protocol-99");
        assertThat(manager.state(id)).isEqualTo("failed");
        assertThat(manager.redis.lrange(manager.keys().deadLetter())).anySatisfy(d -> {
            Map<?, ?> entry = Json.read(d, Map.class);
            assertThat(entry.get("entry")).isEqualTo(future);
            assertThat((String) entry.get("reason")).contains("protocol-99");
        });
    }

    @Test
    void classOutsideTheAllowlistIsNotAllowed() {
        manager.place(pid, JobPayloads.record(new Outside.Escape("x")));
        Outcome record = manager.next();
        assertThat(record.reason()).isEqualTo("NOT_ALLOWED");
        assertThat(record.message()).contains(Outside.Escape.class.getName());
        manager.place(pid, JobPayloads.lambda(Outside.lambda(), List.of()));
        assertThat(manager.next().reason()).isEqualTo("NOT_ALLOWED");
    }

    @Test
    void jobThatThrowsFailsWithClassMessageAndStackTrace() {
        manager.place(pid, JobPayloads.type("fail", List.of("boom")));
        Outcome o = manager.next();
        assertThat(o.reason()).isEqualTo("JOB_FAILED");
        assertThat(o.errorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(o.message()).isEqualTo("boom");
        assertThat(o.stackTrace()).contains("IllegalStateException: boom").contains("TestTypes$Fail.run");
        manager.place(pid, JobPayloads.lambda(Jobs.thrower(), List.of()));
        Outcome lambda = manager.next();
        assertThat(lambda.errorClass()).isEqualTo(UnsupportedOperationException.class.getName());
        assertThat(manager.fleet.workerInfo(pid).get("failed")).isNotNull();
    }

    @Test
    void anExceptionThatCannotDescribeItselfFailsItsJobAndTheSlotGoesOn() {
        // Its getMessage() throws the exception itself: toString, printStackTrace and the future's
        // ExecutionException all throw it again. (It used to end the slot thread.)
        String id = manager.place(pid, JobPayloads.type("unprintable", List.of()));
        Outcome o = manager.outcomeOf(id);
        String unprintable = TestTypes.class.getName() + "$Unprintable$1";
        assertThat(o.reason()).as("%s; worker log:%n%s", o, worker.log()).isEqualTo("JOB_FAILED");
        assertThat(o.errorClass()).isEqualTo(unprintable);
        assertThat(o.message()).isEqualTo("(getMessage() threw " + unprintable + ")");
        assertThat(o.stackTrace()).contains("TestTypes$Unprintable.run");
    }

    @Test
    void idWithoutEntryIsDeadLetteredAndFailsAtItsManager() {
        String id = manager.newId();
        manager.pushRaw(pid, id);
        Outcome o = manager.outcomeOf(id);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("no entry");
        assertThat(manager.redis.lrange(manager.keys().deadLetter())).anyMatch(d -> d.contains(id));
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.redis.llen(manager.keys().inFlight(pid)) == 0);
    }
}
