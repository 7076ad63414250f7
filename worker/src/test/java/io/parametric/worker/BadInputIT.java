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
        assertThat(manager.redis.hget(manager.keys().job(id), "state")).isEqualTo("failed");
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

    /** Appends exact bytes to a list with redis-cli (the client library only writes text); the password goes by environment. */
    private static void pushRaw(String key, byte[] bytes) throws Exception {
        java.net.URI uri = java.net.URI.create(TestRedis.url());
        ProcessBuilder pb = new ProcessBuilder("redis-cli", "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()),
                "-x", "RPUSH", key).redirectErrorStream(true);
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
        assertThat(out.trim()).as("RPUSH reply").matches("\\(integer\\) \\d+|\\d+");
    }

    private Map<?, ?> lastDeadLetter() {
        List<String> dead = manager.redis.lrange(manager.keys().deadLetter());
        return Json.read(dead.get(dead.size() - 1), Map.class);
    }

    @Test
    void entryThatIsNotUtf8IsDeadLetteredByItsExactBytesAndNeverWedgesTheWorker() throws Exception {
        long before = manager.redis.llen(manager.keys().deadLetter());
        byte[] head = ("{\"v\":1,\"id\":\"" + TestManager.newId() + "\",\"form\":\"type\",\"type\":\"echo\",\"args\":[\"").getBytes();
        byte[] entry = java.util.Arrays.copyOf(head, head.length + 4);
        entry[head.length] = (byte) 0xff;
        entry[head.length + 1] = (byte) 0xfe;
        entry[head.length + 2] = '"';
        entry[head.length + 3] = ']';
        pushRaw(manager.keys().pending(pid), entry);
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().deadLetter()) > before);
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.redis.llen(manager.keys().inFlight(pid)) == 0);
        Map<?, ?> record = lastDeadLetter();
        assertThat((String) record.get("reason")).contains("not valid UTF-8");
        assertThat(record.get("size")).isEqualTo(entry.length);
    }

    @Test
    void hugeEntryLeavesATruncatedDeadLetterRecordWithItsSizeAndHash() throws Exception {
        long before = manager.redis.llen(manager.keys().deadLetter());
        String garbage = "not json " + "x".repeat(300_000);
        manager.redis.rpush(manager.keys().pending(pid), garbage);
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().deadLetter()) > before);
        Map<?, ?> record = lastDeadLetter();
        assertThat(((String) record.get("entry")).length()).isEqualTo(io.parametric.shared.protocol.Fleet.DEAD_LETTER_COPY_BYTES);
        assertThat(record.get("size")).isEqualTo(garbage.length());
        assertThat(record.get("truncated")).isEqualTo(true);
        assertThat(record.get("sha256")).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(garbage.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void jobIdWithANewlineIsDeadLetteredAndNeverForgesALogLine() {
        long before = manager.redis.llen(manager.keys().deadLetter());
        String forged = "{\"v\":1,\"id\":\"x\\nFORGED worker 1 registered\",\"form\":\"type\",\"type\":\"echo\",\"args\":[1]}";
        manager.redis.rpush(manager.keys().pending(pid), forged);
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().deadLetter()) > before);
        assertThat((String) lastDeadLetter().get("reason")).contains("printable ASCII");
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
    void unreadableEntryGoesToTheDeadLetterListWithItsReason() {
        long before = manager.redis.llen(manager.keys().deadLetter());
        // Pushed behind the scripts' back, so no wake-up: the idle worker finds it on its next look.
        manager.redis.rpush(manager.keys().pending(pid), "{this is not json");
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().deadLetter()) > before);
        List<String> dead = manager.redis.lrange(manager.keys().deadLetter());
        Map<?, ?> entry = Json.read(dead.get(dead.size() - 1), Map.class);
        assertThat(entry.get("entry")).isEqualTo("{this is not json");
        assertThat((String) entry.get("reason")).isNotBlank();
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.redis.llen(manager.keys().inFlight(pid)) == 0);
    }

    @Test
    void unknownProtocolVersionIsDeadLetteredAndItsJobFailsWhenTheIdIsReadable() {
        String id = TestManager.newId();
        String future = "{\"v\":99,\"id\":\"" + id + "\",\"manager\":\"" + manager.managerId + "\",\"form\":\"hologram\"}";
        manager.redis.rpush(manager.keys().pending(pid), future);
        Outcome o = manager.next();
        assertThat(o.jobId()).isEqualTo(id);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("protocol version 99");
        assertThat(manager.redis.hget(manager.keys().job(id), "state")).isEqualTo("failed");
        List<String> dead = manager.redis.lrange(manager.keys().deadLetter());
        assertThat(dead).anySatisfy(d -> {
            Map<?, ?> entry = Json.read(d, Map.class);
            assertThat(entry.get("entry")).isEqualTo(future);
            assertThat((String) entry.get("reason")).contains("protocol version 99");
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
    void jobHashOfTheWrongTypeFailsOnlyThatJob() {
        JobPayload p = JobPayloads.type("echo", List.of(1)).placed("garbage-" + TestManager.newId(), manager.managerId);
        manager.redis.set(manager.keys().job(p.id()), "not a hash");
        manager.redis.rpush(manager.keys().pending(pid), Json.write(p));
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.redis.llen(manager.keys().pending(pid)) == 0
                && manager.redis.llen(manager.keys().inFlight(pid)) == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.redis.lrange(manager.keys().deadLetter()).stream()
                .anyMatch(d -> d.contains(p.id())));
    }

    @Test
    void entryWithoutJobHashIsDeadLetteredAndFailsAtItsManager() {
        JobPayload p = JobPayloads.type("echo", List.of(1)).placed("never-placed-" + TestManager.newId(), manager.managerId);
        manager.redis.rpush(manager.keys().pending(pid), Json.write(p));
        Outcome o = manager.next();
        assertThat(o.jobId()).isEqualTo(p.id());
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("no job hash");
        assertThat(manager.redis.lrange(manager.keys().deadLetter())).anyMatch(d -> d.contains(p.id()));
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.redis.llen(manager.keys().inFlight(pid)) == 0);
    }
}
