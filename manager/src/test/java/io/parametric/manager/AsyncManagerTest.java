package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.Async;
import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The manager's behaviour on in-JVM workers: no Redis needed. */
class AsyncManagerTest {

    /** Jobs run in this JVM, so a latch can hold a worker busy. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    private ProcessManager procs;

    @BeforeEach
    void start() {
        gate = new CountDownLatch(0);
        procs = processes(4, Async.class);
    }

    @AfterEach
    void stop() {
        gate.countDown();
        procs.close();
    }

    static int example(int x, String y) {
        return y.length() + x;
    }

    static String hold() throws InterruptedException {
        gate.await(30, TimeUnit.SECONDS);
        return "released";
    }

    @Test
    void startsWorkersWithPidsFromOne() {
        assertThat(procs.workerPids()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(procs.workerPids(Async.class)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(procs.workers()).allSatisfy(w -> assertThat(w.kind()).isEqualTo(Async.class));
    }

    @Test
    void distributedJobsAllRunAndShareACounter() {
        procs.put("x", 5);
        ProcessJob bump = newJob(() -> JobContext.current().increment("x", 1));
        List<ProcessJob> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(bump);
        }
        assertThat(procs.distribute(jobs)).containsExactly(1L, 2L, 3L, 4L);
        procs.waitFor();
        assertThat(procs.fetch("x", Integer.class)).isEqualTo(25);
    }

    @Test
    void waitForAfterAssignReturnsTheJobsReturn() {
        long pid = procs.assign(2, newJob(() -> 55));
        assertThat(pid).isEqualTo(2);
        assertThat(procs.waitFor(2)).containsExactly(55);
        assertThat(procs.getReturn(2)).containsExactly(55);
        assertThat(procs.getReturn(2, Long.class)).isEqualTo(55L);
        assertThat(procs.get(2).ret()).isEqualTo(55);
    }

    @Test
    void methodReferencesTakeTheirArguments() {
        procs.assign(1, newJob(AsyncManagerTest::example, 5, "job #5"));
        assertThat(procs.waitFor(1)).containsExactly(11);
    }

    @Test
    void waitForThrowsTheRemoteFailureWithItsClassAndTrace() {
        procs.assign(3, newJob(() -> {
            throw new IllegalStateException("boom");
        }));
        assertThatThrownBy(() -> procs.waitFor(3))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.JOB_FAILED);
                    assertThat(e.pid()).isEqualTo(3L);
                    assertThat(e.jobId()).isNotBlank();
                    assertThat(e.errorClass()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.getMessage()).contains("boom");
                });
    }

    @Test
    void waitForWithTimeoutNamesTheBusyPids() {
        gate = new CountDownLatch(1);
        procs.assign(2, newJob(AsyncManagerTest::hold));
        assertThatThrownBy(() -> procs.waitFor(Duration.ofMillis(200), 1, 2))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(e.getMessage()).contains("[2]");
                });
        gate.countDown();
        assertThat(procs.waitFor(Duration.ofSeconds(10), 2)).containsExactly("released");
    }

    @Test
    void waitForCoversOnlyJobsPlacedBeforeTheCallAndReturnsTheLast() {
        procs.assign(1, newJob(() -> 1));
        procs.assign(1, newJob(() -> 2));
        assertThat(procs.waitFor(1)).containsExactly(2);
        assertThat(procs.waitFor(4)).containsExactly((Object) null);
    }

    @Test
    void unknownPidOrNameNamesItAndThePidsThere() {
        assertThatThrownBy(() -> procs.get(99))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_WORKER);
                    assertThat(e.getMessage()).contains("99").contains("[1, 2, 3, 4]");
                });
        assertThatThrownBy(() -> procs.assign("nobody", newJob(() -> 1)))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.getMessage()).contains("'nobody'").contains("[1, 2, 3, 4]"));
    }

    @Test
    void closeKeepsTheWorkerListedAsClosedAndDeleteRemovesIt() {
        procs.close(2);
        assertThat(procs.get(2).isClosed()).isTrue();
        assertThat(procs.workerPids()).containsExactly(1L, 2L, 3L, 4L);
        procs.delete(3);
        assertThat(procs.workerPids()).containsExactly(1L, 2L, 4L);
        procs.addWorkers(2);
        assertThat(procs.workerPids()).containsExactly(1L, 2L, 4L, 5L, 6L);
        assertThat(procs.distribute(newJob(() -> 1), newJob(() -> 2), newJob(() -> 3), newJob(() -> 4)))
                .doesNotContain(2L);
    }

    @Test
    void workerShowsLikeTheSeed() {
        assertThat(procs.get(3)).hasToString("3 |Async process: async-3 (inactive)");
        gate = new CountDownLatch(1);
        procs.assign(3, newJob(AsyncManagerTest::hold));
        await().atMost(Duration.ofSeconds(10)).until(() -> procs.get(3).isActive());
        assertThat(procs.get(3)).hasToString("3 |Async process: async-3 (active)");
        gate.countDown();
        procs.waitFor(3);
        procs.close(3);
        assertThat(procs.get(3)).hasToString("3 |Async process: async-3 (closed)");
    }

    @Test
    void namedWorkersAreFoundByName() {
        try (ProcessManager named = processes(2, Async.class, "a", "b")) {
            assertThat(named.get("b").name()).isEqualTo("b");
            long pid = named.assign("b", newJob(() -> "hi"));
            assertThat(named.waitFor(pid)).containsExactly("hi");
        }
    }

    @Test
    void distributeIsRoundRobinOnAnIdleFleet() {
        gate = new CountDownLatch(1);
        List<Long> pids = procs.distribute(newJob(AsyncManagerTest::hold), newJob(AsyncManagerTest::hold),
                newJob(AsyncManagerTest::hold));
        assertThat(pids).containsExactly(1L, 2L, 3L);
        assertThat(procs.distributeOpen(newJob(AsyncManagerTest::hold))).containsExactly(4L);
        assertThat(procs.assignOpen(newJob(() -> 1))).containsExactly(4L);
        gate.countDown();
        procs.waitFor();
    }

    @Test
    void submitCompletesItsFutureAndReattachesById() throws Exception {
        JobFuture<Object> f = procs.submit(newJob(() -> 55));
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(55);
        assertThat(f.pid()).isBetween(1L, 4L);
        assertThat(f.progress()).isEqualTo(1.0);
        JobFuture<Object> g = procs.submit(1, newJob(() -> "one"));
        assertThat(procs.job(g.jobId()).get(10, TimeUnit.SECONDS)).isEqualTo("one");
    }

    record Square(int x) implements io.parametric.shared.Job<Integer> {
        @Override
        public Integer run(JobContext ctx) {
            return x * x;
        }
    }

    @Test
    void submittedRecordsReturnTheirTypedResult() throws Exception {
        JobFuture<Integer> f = procs.submit(new Square(7));
        Integer r = f.get(10, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(49);
    }

    @Test
    void cancellingAQueuedJobRemovesIt() {
        gate = new CountDownLatch(1);
        procs.assign(1, newJob(AsyncManagerTest::hold));
        JobFuture<Object> queued = procs.submit(1, newJob(() -> "never"));
        assertThat(queued.cancel(true)).isTrue();
        assertThat(queued).isCancelled();
        assertThatThrownBy(queued::join).isInstanceOf(CancellationException.class);
        gate.countDown();
        assertThatThrownBy(() -> procs.waitFor(1))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.CANCELLED));
        assertThat(procs.get(1).queued()).isZero();
    }

    @Test
    void perWorkerValuesWinOverFleetWideOnes() {
        procs.put("greeting", "hello");
        procs.put(List.of(2L), "greeting", "bonjour");
        procs.assign(1, newJob(() -> JobContext.current().fetch("greeting", String.class)));
        procs.assign(2, newJob(() -> JobContext.current().fetch("greeting", String.class)));
        assertThat(procs.waitFor(1, 2)).containsExactly("hello", "bonjour");
        assertThat(procs.fetch("greeting")).isEqualTo("hello");
    }

    @Test
    void aJobTypeNoWorkerHasIsRejectedAtPlacement() {
        assertThatThrownBy(() -> procs.distribute(newJob(() -> 1), newJob("no-such-type", 1)))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_JOB_TYPE);
                    assertThat(e.getMessage()).contains("'no-such-type'");
                });
        assertThat(procs.workers()).allSatisfy(w -> assertThat(w.isActive()).isFalse());
    }

    @Test
    void closingTheManagerEndsTheWaitsOfJobsThatWillNeverRun() {
        gate = new CountDownLatch(1);
        procs.assign(1, newJob(AsyncManagerTest::hold));
        JobFuture<Object> queued = procs.submit(1, newJob(() -> "never"));
        gate.countDown();
        procs.close();
        assertThat(queued).isDone();
    }

    @Test
    void addWorkersAfterCloseOpensTheManagerAgainAsInTheSeed() {
        procs.close(2);
        procs.close();
        assertThat(procs.workers()).allSatisfy(w -> assertThat(w.isClosed()).isTrue());
        procs.addWorkers(2);
        assertThat(procs.workerPids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(procs.workerPids(Async.class)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(procs.distribute(newJob(() -> 1), newJob(() -> 2))).containsExactly(5L, 6L);
        assertThat(procs.waitFor(5, 6)).containsExactly(1, 2);
    }

    static int flaky(String name) {
        if (JobContext.current().increment(name, 1) < 3) {
            throw new IllegalStateException("not yet");
        }
        return JobContext.current().attempt();
    }

    static String slow() throws InterruptedException {
        Thread.sleep(10_000);
        return "too late";
    }

    @Test
    void asyncJobsHonourTimeoutRetriesAndDelay() throws Exception {
        JobFuture<Object> timedOut = procs.submit(newJob(AsyncManagerTest::slow).withTimeout(Duration.ofMillis(100)));
        assertThatThrownBy(() -> timedOut.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ProcessError.class)
                .satisfies(e -> assertThat(((ProcessError) e.getCause()).reason()).isEqualTo(Reason.JOB_TIMEOUT));
        JobFuture<Object> retried = procs.submit(newJob(AsyncManagerTest::flaky, "tries").withRetries(2));
        assertThat(retried.get(20, TimeUnit.SECONDS)).isEqualTo(3);
        JobFuture<Object> delayed = procs.submit(newJob(() -> "later").withDelay(Duration.ofMillis(200)));
        assertThat(delayed.get(10, TimeUnit.SECONDS)).isEqualTo("later");
    }

    @Test
    void jobOutOfRetriesSaysHowOftenItRanInOneLine() {
        JobFuture<Object> failing = procs.submit(newJob(() -> {
            throw new IllegalStateException("disk full");
        }).withRetries(1));
        assertThatThrownBy(() -> failing.get(20, TimeUnit.SECONDS)).cause().isInstanceOf(ProcessError.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).contains("failed after 2 attempts: java.lang.IllegalStateException: disk full")
                            .contains("remoteStackTrace()").doesNotContain("\n");
                    assertThat(((ProcessError) e).remoteStackTrace()).contains("IllegalStateException");
                });
    }

    @Test
    void createdWorkersCanBePushedWithoutPidClashes() {
        List<Worker<?>> made = ParametricProcesses.createWorkers(1, Async.class);
        Worker<?> w = made.get(0);
        assertThat(procs.workerPids()).doesNotContain(w.pid());
        procs.push(w);
        assertThat(procs.workerPids()).contains(w.pid());
        procs.assign(w.pid(), newJob(() -> 7));
        assertThat(procs.waitFor(w.pid())).containsExactly(7);
        procs.addWorkers(1);
        assertThat(procs.workerPids()).doesNotHaveDuplicates();
    }
}
