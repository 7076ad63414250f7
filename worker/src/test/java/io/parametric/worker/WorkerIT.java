package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestRedis;
import io.parametric.worker.testjobs.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real worker JVMs against a real Redis: registration, fetch and finish, order, the backlog. */
class WorkerIT {

    private static final String ALLOW = "--allow=io.parametric.worker.testjobs";

    private String fleetName;
    private TestManager manager;
    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fleetName = TestRedis.uniqueFleet("worker");
        manager = new TestManager(TestRedis.url(), fleetName);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(WorkerProcess::close);
        manager.close();
    }

    private WorkerProcess start(int slots, String... flags) {
        WorkerProcess w = WorkerProcess.start(TestRedis.url(), fleetName, slots, flags);
        workers.add(w);
        return w;
    }

    @Test
    void registersEachSlotUnderTheFleetPrefixWithItsPidNameAndTypes() {
        WorkerProcess w = start(2, "--name", "reg", ALLOW);
        List<Long> pids = w.pids();
        assertThat(pids).hasSize(2).doesNotHaveDuplicates().allMatch(p -> p > 0);
        assertThat(manager.fleet.livePids()).containsExactlyInAnyOrderElementsOf(pids);
        for (long pid : pids) {
            Map<String, String> hash = manager.fleet.workerInfo(pid);
            assertThat(hash)
                    .containsEntry("pid", Long.toString(pid))
                    .containsEntry("name", "reg-" + pid)
                    .containsEntry("kind", "Threaded")
                    .containsEntry("state", "idle")
                    .containsEntry("ospid", Long.toString(w.process().pid()))
                    .containsKeys("host", "registered");
            assertThat(hash.get("types")).startsWith(",").endsWith(",").contains(",echo,", ",add,", ",sleep,");
        }
        assertThat(manager.keys().worker(pids.get(0))).startsWith("pp:{" + fleetName + "}:");
        assertThat(manager.redis.lrange(manager.keys().openWorkers()))
                .containsExactlyInAnyOrderElementsOf(pids.stream().map(String::valueOf).toList());
    }

    @Test
    void warnsAboutTheRedisDurabilityUnlessItIsTheSpawningManagersPrivateRedis() {
        // The test Redis runs with appendonly no; the warning is logged before the slots register.
        assertThat(start(1).log()).contains("has appendonly=no: a Redis restart loses every queued job");
        assertThat(start(1, "--private-redis").log()).doesNotContain("appendonly");
    }

    @Test
    void exactNameNamesTheOnlySlot() {
        WorkerProcess w = start(1, "--exact-name", "alpha");
        assertThat(w.names()).containsExactly("alpha");
        assertThat(manager.fleet.workerInfo(w.pid())).containsEntry("name", "alpha");
    }

    @Test
    void runsPlacedJobsInOrderAndFinishesEachWithTheManagerNotified() {
        long pid = start(1, ALLOW).pid();
        List<JobPayload> jobs = IntStream.range(0, 30).mapToObj(i -> JobPayloads.type("echo", List.of(i))).toList();
        List<String> ids = manager.placeAll(pid, jobs);
        List<Outcome> outcomes = manager.next(30, Duration.ofSeconds(20));
        assertThat(outcomes).extracting(Outcome::jobId).containsExactlyElementsOf(ids);
        assertThat(outcomes).extracting(o -> o.value().asInt()).containsExactlyElementsOf(IntStream.range(0, 30).boxed().toList());
        assertThat(outcomes).allMatch(o -> o.ok() && o.pid() == pid && o.attempt() == 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(manager.redis.lrange(manager.keys().inFlight(pid))).isEmpty();
            assertThat(manager.fleet.workerInfo(pid)).containsEntry("state", "idle").containsEntry("done", "30");
        });
        assertThat(manager.fleet.latestOutcome(pid).value().asInt()).isEqualTo(29);
        JobRecord job = manager.record(ids.get(0));
        assertThat(job.state()).isEqualTo("done");
        assertThat(job.pid()).isEqualTo(pid);
        assertThat(job.deliveries()).isEqualTo(1);
        assertThat(manager.redis.lrange(manager.keys().openWorkers())).containsExactly(Long.toString(pid));
    }

    @Test
    void runsLambdasMethodReferencesRecordsAndGivesJobsTheirContext() {
        WorkerProcess w = start(1, "--name", "ctx", ALLOW);
        long pid = w.pid();
        manager.fleet.putValue("greeting", "hello");
        manager.place(pid, JobPayloads.lambda(Jobs.exampleRef(), List.of(5, "job #5")));
        assertThat(manager.next().value().asInt()).isEqualTo(56);
        manager.place(pid, JobPayloads.lambda(Jobs.adder(40, List.of(1, 2)), List.of(3)));
        assertThat(manager.next().value().asInt()).isEqualTo(46);
        manager.place(pid, JobPayloads.lambda(Jobs.nothing(), List.of()));
        Outcome nothing = manager.next();
        assertThat(nothing.ok()).isTrue();
        assertThat(nothing.value() == null || nothing.value().isNull()).isTrue();
        manager.place(pid, JobPayloads.record(new Jobs.Sum(List.of(new Jobs.Square(3), new Jobs.Square(4)))));
        assertThat(manager.next().value().asInt()).isEqualTo(7);

        String id = manager.place(pid, JobPayloads.type("context", List.of()));
        Outcome seen = manager.next();
        assertThat(seen.value().get("pid").asLong()).isEqualTo(pid);
        assertThat(seen.value().get("name").asText()).isEqualTo("ctx-" + pid);
        assertThat(seen.value().get("jobId").asText()).isEqualTo(id);
        assertThat(seen.value().get("attempt").asInt()).isEqualTo(1);
        assertThat(seen.value().get("greeting").asText()).isEqualTo("hello");
        assertThat(seen.value().get("counter").asLong()).isEqualTo(5);
        assertThat(manager.fleet.fetchValue("written")).isEqualTo("[1,2]");
        assertThat(manager.record(id).progress()).isEqualTo(0.5);
        manager.fleet.putWorkerValue(pid, "greeting", "just you");
        manager.place(pid, JobPayloads.type("context", List.of()));
        assertThat(manager.next().value().get("greeting").asText()).isEqualTo("just you");
    }

    @Test
    void backlogJobGoesToWhicheverWorkerFreesUpFirst() {
        WorkerProcess w = start(2, ALLOW);
        long slow = w.pids().get(0);
        long quick = w.pids().get(1);
        manager.place(slow, JobPayloads.type("sleep", List.of(1500L)));
        manager.place(quick, JobPayloads.type("sleep", List.of(300L)));
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.redis.llen(manager.keys().pending(slow)) == 0
                && manager.redis.llen(manager.keys().pending(quick)) == 0);
        String backlogged = manager.submit(JobPayloads.type("echo", List.of("from the backlog")));
        assertThat(manager.record(backlogged).pid()).isZero();
        List<Outcome> outcomes = manager.next(3, Duration.ofSeconds(20));
        Outcome fromBacklog = outcomes.stream().filter(o -> o.jobId().equals(backlogged)).findFirst().orElseThrow();
        assertThat(fromBacklog.pid()).isEqualTo(quick);
        assertThat(fromBacklog.value().asText()).isEqualTo("from the backlog");
        assertThat(manager.redis.llen(manager.keys().backlog())).isZero();
    }

    @Test
    void backlogIsTakenByAWorkerThatStartsLater() {
        List<String> ids = IntStream.range(0, 5).mapToObj(i -> manager.submit(JobPayloads.type("echo", List.of(i)))).toList();
        assertThat(manager.redis.llen(manager.keys().backlog())).isEqualTo(5);
        long pid = start(1, ALLOW).pid();
        List<Outcome> outcomes = manager.next(5, Duration.ofSeconds(20));
        assertThat(outcomes).extracting(Outcome::jobId).containsExactlyElementsOf(ids);
        assertThat(outcomes).allMatch(o -> o.ok() && o.pid() == pid);
        assertThat(manager.redis.llen(manager.keys().backlog())).isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(manager.redis.lrange(manager.keys().openWorkers())).containsExactly(Long.toString(pid)));
    }
}
