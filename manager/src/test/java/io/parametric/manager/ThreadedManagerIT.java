package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.testjobs.Work;
import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The manager over four real worker JVMs, sharing one fleet for the whole class. */
@ExtendWith(UsesTestRedis.class)
class ThreadedManagerIT {

    private static ProcessManager procs;

    @BeforeAll
    static void start() {
        procs = processes(4);
    }

    @AfterAll
    static void stop() {
        if (procs != null) {
            procs.close();
        }
    }

    /** Each test starts on an idle fleet, whatever the last one left failing. */
    @BeforeEach
    void idle() {
        try {
            procs.waitFor(Duration.ofSeconds(60));
        } catch (ProcessError e) {
            assertThat(e.reason()).isNotEqualTo(Reason.TIMEOUT);
        }
    }

    @Test
    void processesReturnsFourRegisteredWorkerJvms() {
        assertThat(procs.workerPids()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(procs.workerPids(Threaded.class)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(procs.get(3)).hasToString("3 |Threaded process: worker-3 (inactive)");
        assertThat(procs.get("worker-2").pid()).isEqualTo(2);
        assertThat(procs.get(1).host()).isNotBlank();
        assertThat(procs.get(1).jobTypes()).contains("echo");
    }

    @Test
    void thirtyDistributedJobsAllRunSpreadEvenly() {
        procs.put("ran", 0);
        ProcessJob job = newJob(() -> JobContext.current().increment("ran", 1));
        List<Long> pids = procs.distribute(Collections.nCopies(30, job));
        assertThat(pids).containsExactly(1L, 2L, 3L, 4L);
        procs.waitFor(Duration.ofSeconds(60));
        assertThat(procs.fetch("ran", Integer.class)).isEqualTo(30);
    }

    @Test
    void waitForAfterAssignReturns55() {
        ProcessJob jb = newJob(() -> {
            Thread.sleep(100);
            return 55;
        });
        assertThat(procs.assign(2, jb)).isEqualTo(2);
        assertThat(procs.waitFor(2)).containsExactly(55);
        assertThat(procs.getReturn(2)).containsExactly(55);
        assertThat(procs.getReturn(2, Long.class)).isEqualTo(55L);
    }

    @Test
    void methodReferencesRunWithTheirArgumentsInTheWorker() {
        List<ProcessJob> jobs = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            jobs.add(newJob(Work::example, e, "job #"));
        }
        procs.distribute(jobs);
        List<Object> returns = procs.waitFor(1, 2, 3, 4);
        assertThat(returns).containsExactly("job #5", "job #2", "job #3", "job #4");
    }

    @Test
    void sharedValueIncrementedByTwentyJobsIs25() {
        procs.put("x", 5);
        ProcessJob second = newJob(() -> JobContext.current().increment("x", 1));
        procs.distribute(Collections.nCopies(20, second));
        procs.waitFor();
        assertThat(procs.fetch("x")).isEqualTo(25);
    }

    @Test
    void perWorkerValuesWinOverTheFleetWideOne() {
        procs.put("greeting", "hello");
        procs.put(List.of(3L), "greeting", "bonjour");
        ProcessJob read = newJob(() -> JobContext.current().fetch("greeting", String.class));
        procs.assign(1, read);
        procs.assign(3, read);
        assertThat(procs.waitFor(1, 3)).containsExactly("hello", "bonjour");
    }

    @Test
    void waitingOnAFailedJobThrowsTheRemoteClassMessageAndTrace() {
        procs.assign(4, newJob(Work::fail, "disk on fire"));
        assertThatThrownBy(() -> procs.waitFor(4))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.JOB_FAILED);
                    assertThat(e.pid()).isEqualTo(4L);
                    assertThat(e.jobId()).isNotBlank();
                    assertThat(e.errorClass()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.getMessage()).contains("disk on fire");
                    assertThat(e.remoteStackTrace()).contains("Work.fail");
                });
        assertThatThrownBy(() -> procs.getReturn(4))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.JOB_FAILED));
    }

    @Test
    void aTimedOutWaitNamesTheBusyPids() {
        procs.assign(3, newJob(Work::sleep, 3000));
        assertThatThrownBy(() -> procs.waitFor(Duration.ofMillis(300), 1, 3))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(e.getMessage()).contains("[3]");
                });
    }

    @Test
    void aJobTypeNoWorkerHasIsRejectedAtPlacementNamingIt() {
        assertThatThrownBy(() -> procs.distribute(newJob(() -> 1), newJob("resize", "cat.png", 640)))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_JOB_TYPE);
                    assertThat(e.getMessage()).contains("'resize'");
                });
        assertThatThrownBy(() -> procs.assign(1, newJob("resize", "cat.png", 640)))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_JOB_TYPE);
                    assertThat(e.getMessage()).contains("resize");
                });
        assertThat(procs.workers()).allSatisfy(w -> assertThat(w.isActive()).isFalse());
    }

    @Test
    void registeredTypesAndRecordsRunOnTheWorkers() throws Exception {
        procs.assign(1, newJob("echo", "hi"));
        assertThat(procs.waitFor(1)).containsExactly("echo:hi");
        JobFuture<Integer> square = procs.submit(new Work.Square(9));
        assertThat(square.get(30, TimeUnit.SECONDS)).isEqualTo(81);
    }

    @Test
    void unknownPidOrNameNamesItAndThePidsThere() {
        assertThatThrownBy(() -> procs.assign(42, newJob(() -> 1)))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_WORKER);
                    assertThat(e.getMessage()).contains("42").contains("[1, 2, 3, 4]");
                });
        assertThatThrownBy(() -> procs.get("render-9"))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.getMessage()).contains("render-9"));
    }

    @Test
    void spawnedWorkersGetTheRedisPasswordThroughTheEnvironmentNeverTheirCommandLine() throws Exception {
        String url = TestRedis.url();
        String password = url.substring(url.indexOf("//") + 2, url.indexOf('@')).replaceFirst("^[^:]*:", "");
        assertThat(password).as("the test Redis is the private one, with a password").isNotBlank();
        var fleet = procs.fleetIfConnected().orElseThrow();
        for (long pid : procs.workerPids()) {
            long ospid = Long.parseLong(fleet.workerInfo(pid).get("ospid"));
            String commandLine = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(ospid), "cmdline"));
            assertThat(commandLine).contains("io.parametric.worker.WorkerMain").doesNotContain(password);
        }
    }

    @Test
    void spawnedWorkersRunOnlyTheLambdasTheApplicationWroteNeverAnotherMemberOrTheJdk() {
        // A method reference this class really makes, but to System: not a pure JDK function.
        assertThatThrownBy(() -> procs.submit(newJob((Fn.Call1<String, String>) System::getenv, "PATH")).get(30, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED));
        // What a Redis writer would forge: a public method of an admitted class no lambda of it names.
        JobPayload real = newJob(Work::example, 1, "x").payload();
        JobPayload forged = new JobPayload(real.v(), null, null, real.form(), null, Work.class.getName(), "sleep",
                "(Ljava/lang/Integer;)Ljava/lang/Integer;", real.refKind(), real.fingerprint(), List.of(),
                List.of(io.parametric.shared.protocol.Json.tree(1)), null, null, 0, 3, false, Work.class.getName());
        assertThatThrownBy(() -> procs.submit(new ProcessJob(forged)).get(30, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("does not declare as a serializable lambda");
                });
    }

    @Test
    void submitUsesAnOpenWorkerAndTheFutureReattachesById() throws Exception {
        JobFuture<Object> f = procs.submit(newJob(() -> "done"));
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(f.pid()).isBetween(1L, 4L);
        assertThat(procs.job(f.jobId()).get(30, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void anotherManagerReattachesToARunningJobAndHearsItsOutcomePushed() throws Exception {
        procs.put("gate", 0);
        JobFuture<Object> running = procs.submit(newJob(() -> {
            while (JobContext.current().fetch("gate", Integer.class) == 0) {
                Thread.sleep(20);
            }
            return "opened";
        }));
        try (ProcessManager other = ParametricProcesses.connect(TestRedis.url(), procs.fleetName())) {
            JobFuture<Object> attached = other.job(running.jobId());
            assertThat(attached).isNotDone();
            procs.put("gate", 1);
            assertThat(attached.get(30, TimeUnit.SECONDS)).isEqualTo("opened");
            assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo("opened");
        }
    }

    @Test
    void submitsBeyondTheOpenWorkersWaitOnTheBacklogAndAllRun() {
        List<JobFuture<Object>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(procs.submit(newJob(Work::sleep, 200)));
        }
        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isEqualTo(200));
    }

    @Test
    void cancellingAQueuedJobRemovesItFromItsWorker() {
        procs.assign(2, newJob(Work::sleep, 1500));
        // Only once the worker took the sleeper is "never" the one job left in its queue.
        await().atMost(Duration.ofSeconds(30)).until(() -> procs.get(2).queued() == 0);
        JobFuture<Object> queued = procs.submit(2, newJob(() -> "never"));
        assertThat(queued.cancel(true)).isTrue();
        assertThatThrownBy(queued::join).isInstanceOf(CancellationException.class);
        // Its id stays on the worker's list as a tombstone (no list is walked) until the worker's
        // next take drops it, once the sleeper is done; it never runs.
        await().atMost(Duration.ofSeconds(30)).until(() -> procs.get(2).queued() == 0);
        assertThatThrownBy(() -> procs.waitFor(2))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.CANCELLED));
    }

    @Test
    void assignOpenPrefersIdleWorkersThenTheLastWorker() {
        List<Long> first = procs.assignOpen(newJob(Work::sleep, 800), newJob(Work::sleep, 800),
                newJob(Work::sleep, 800), newJob(Work::sleep, 800));
        assertThat(first).containsExactly(1L, 2L, 3L, 4L);
        assertThat(procs.assignOpen(newJob(() -> "late"))).containsExactly(4L);
        assertThat(procs.get(4).isActive()).isTrue();
        assertThat(procs.waitFor(4)).containsExactly("late");
    }

    @Test
    void aCallbackThatBlocksOnAnotherJobDoesNotStallCompletions() throws Exception {
        JobFuture<Object> slow = procs.submit(2, newJob(Work::sleep, 500));
        JobFuture<Object> fast = procs.submit(1, newJob(() -> 1));
        assertThat(fast.thenApply(x -> slow.join()).get(30, TimeUnit.SECONDS)).isEqualTo(500);
    }

    @Test
    void manyJobsFromManyThreadsRunExactlyOnceLeavingNothingInFlight() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<JobFuture<Object>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int base = t * 50;
            threads.add(new Thread(() -> {
                List<ProcessJob> jobs = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    jobs.add(newJob(ThreadedManagerIT::countOnce, "once-" + (base + i)));
                }
                procs.distribute(jobs);
                for (int i = 25; i < 50; i++) {
                    futures.add(procs.submit(newJob(ThreadedManagerIT::countOnce, "once-" + (base + i))));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        futures.forEach(JobFuture::join);
        procs.waitFor(Duration.ofSeconds(60));
        for (int i = 0; i < 200; i++) {
            assertThat(procs.fetch("once-" + i, Integer.class)).as("job %d ran exactly once", i).isEqualTo(1);
        }
        var fleet = procs.fleetIfConnected().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(procs.workerPids())
                .allSatisfy(pid -> assertThat(fleet.inFlight(pid)).isEmpty()));
    }

    /** Counts one run of a job under its own name. */
    static long countOnce(String name) {
        return JobContext.current().increment(name, 1);
    }

    @Test
    void workersShowActiveWhileBusy() {
        procs.assign(1, newJob(Work::sleep, 1500));
        await().atMost(Duration.ofSeconds(10)).until(() -> procs.get(1).isActive());
        assertThat(procs.get(1)).hasToString("1 |Threaded process: worker-1 (active)");
        procs.waitFor(1);
        assertThat(procs.get(1).isActive()).isFalse();
    }
}
