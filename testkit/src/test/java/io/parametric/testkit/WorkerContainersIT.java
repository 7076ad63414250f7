package io.parametric.testkit;

import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.Slf4jLogConsumer;

/**
 * A fleet of worker containers built from {@code deploy/Dockerfile}, driven by a manager on the
 * host through the test kit, the way users run it: every job returns although containers are
 * killed, stopped and added while it runs. Each test gets a fresh fleet: a Redis container and
 * three single-slot worker containers.
 */
@ExtendWith(RequiresDocker.class)
class WorkerContainersIT {

    private static final Logger log = LoggerFactory.getLogger(WorkerContainersIT.class);
    private static final Duration GIVE_UP = Duration.ofMinutes(2);
    private static Path jobsJar;

    @RegisterExtension
    final ContainerFleet fleet = ContainerFleet.of(ContainerSupport.workerImage())
            .withRedisImage(ContainerSupport.redisImage())
            .withWorkers(3)
            .withSlots(1)
            .withJobs(jobsJar)
            .withWorkerCustomizer(w -> w.withLogConsumer(workerLog()));

    @BeforeAll
    static void jobCode() {
        jobsJar = JobsJar.of(Path.of("target/it-jobs/square-jobs.jar"), SquareJob.class);
    }

    @Test
    void everyOneOf300DistributedJobsReturnsThoughAWorkerContainerIsKilledMidRun(ProcessManager procs) {
        List<Long> fleetPids = procs.workerPids();
        assertThat(fleetPids).hasSize(3);
        WorkerContainer victim = fleet.workers().get(1);
        long victimPid = victim.workerPids().get(0);

        List<Long> used = procs.distribute(squares(0, 300, 25));
        assertThat(used).containsExactlyElementsOf(fleetPids);

        // Kill the container while it still has most of its hundred jobs queued.
        await().atMost(GIVE_UP).until(() -> ranOn(procs, 300).values().stream().filter(p -> p == victimPid).count() >= 5);
        victim.kill();

        // The survivors finish their own jobs; the victim's come back through the reaper once
        // its lease runs out, as backlog jobs that the survivors take.
        procs.waitFor(GIVE_UP, survivors(fleetPids, victimPid));
        Map<Integer, Long> ran = awaitEveryJobRan(procs, 300);
        long onVictim = ran.values().stream().filter(p -> p == victimPid).count();
        long runs = procs.fetch(SquareJob.RUNS, Long.class);
        log.info("killed worker {} ran {} of its 100 jobs; the other {} ran elsewhere; {} runs for 300 jobs ({} duplicates)",
                victimPid, onVictim, 300 - onVictim, runs, runs - 300);
        assertThat(onVictim).isLessThan(100);
        assertThat(ran.values()).as("every job ran on a worker of the fleet").allMatch(fleetPids::contains);
        // At least once: the job the victim was running may run again, nothing else does.
        assertThat(runs).isBetween(300L, 301L);

        // The survivors' heartbeats keep the image's HEALTHCHECK green.
        WorkerContainer survivor = fleet.workers().get(0);
        await().atMost(Duration.ofSeconds(60)).until(survivor::healthStatus, "healthy"::equals);
    }

    @Test
    void aWorkerContainerStartedMidRunTakesWorkFromTheBacklog(ProcessManager procs) throws Exception {
        // submit places on an open worker, else on the fleet backlog: with three single-slot
        // workers nearly all of these wait in the backlog for whichever worker is free first.
        // The jobs are held at their start until the late worker runs one too, so the three
        // first workers cannot drain the backlog before it joins, however slowly it starts.
        procs.put(SquareJob.HOLD, true);
        List<JobFuture<Object>> futures = new ArrayList<>();
        for (ProcessJob job : squares(0, 300, 20)) {
            futures.add(procs.submit(job));
        }
        await().atMost(GIVE_UP).until(() -> procs.stats().running() == 3);

        WorkerContainer late = fleet.addWorker();
        List<Long> latePids = late.workerPids();
        assertThat(latePids).hasSize(1);
        assertThat(late.execInContainer("/opt/parametric/bin/pp-probe", "live").getExitCode())
                .as("liveness check of a worker that just joined").isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(late.execInContainer("/opt/parametric/bin/pp-probe", "ready").getExitCode())
                        .as("readiness check of a worker that just joined").isZero());
        assertThat(procs.workerPids()).containsAll(latePids);
        await().atMost(GIVE_UP).until(() -> procs.stats().workers().stream()
                .anyMatch(w -> latePids.contains(w.pid()) && w.runningJobId() != null));
        procs.put(SquareJob.HOLD, false);

        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get(GIVE_UP.toSeconds(), TimeUnit.SECONDS)).isEqualTo(i * i);
        }
        long onLate = futures.stream().filter(f -> latePids.contains(f.pid())).count();
        log.info("the container started mid-run ran {} of 300 backlog jobs", onLate);
        assertThat(onLate).isPositive();
        assertThat(ranOn(procs, 300)).hasSize(300);
        assertThat(procs.fetch(SquareJob.RUNS, Long.class)).as("runs, duplicates included").isEqualTo(300L);
    }

    @Test
    void aStoppedWorkerContainerHandsItsQueuedJobsBackAndExitsCleanly(ProcessManager procs) {
        List<Long> fleetPids = procs.workerPids();
        WorkerContainer stopped = fleet.workers().get(2);
        long stoppedPid = stopped.workerPids().get(0);

        procs.distribute(squares(0, 60, 200));
        await().atMost(GIVE_UP).until(() -> ranOn(procs, 60).containsValue(stoppedPid));

        // docker stop: SIGTERM, then SIGKILL after 30 s; the worker finishes its running job
        // and moves the rest of its 20 to the backlog well within that.
        long exitStatus = stopped.stopGracefully(Duration.ofSeconds(30));
        assertThat(exitStatus).as("exit status after SIGTERM").isZero();

        procs.waitFor(GIVE_UP, survivors(fleetPids, stoppedPid));
        Map<Integer, Long> ran = awaitEveryJobRan(procs, 60);
        long onStopped = ran.values().stream().filter(p -> p == stoppedPid).count();
        log.info("stopped worker {} ran {} of its 20 jobs and handed the other {} back", stoppedPid, onStopped, 20 - onStopped);
        assertThat(onStopped).isLessThan(20);
        // Handed back, not lost and not run twice: the stopped worker finished its running job.
        assertThat(procs.fetch(SquareJob.RUNS, Long.class)).as("runs, duplicates included").isEqualTo(60L);
    }

    /** The workers' log lines in the test log, without one line per finished job. */
    private static Consumer<OutputFrame> workerLog() {
        Slf4jLogConsumer delegate = new Slf4jLogConsumer(log).withPrefix("worker");
        return frame -> {
            if (!frame.getUtf8String().contains(" done on worker ")) {
                delegate.accept(frame);
            }
        };
    }

    private static ProcessJob[] squares(int from, int to, int millis) {
        return IntStream.range(from, to).mapToObj(i -> newJob(SquareJob.NAME, i, millis)).toArray(ProcessJob[]::new);
    }

    /**
     * Waits until every one of the first {@code count} jobs has recorded its run. Jobs that were
     * on a worker that left are not this manager's to wait for by pid any more (the worker is gone
     * from the fleet), so their runs are awaited through what they recorded.
     */
    private static Map<Integer, Long> awaitEveryJobRan(ProcessManager procs, int count) {
        return await().atMost(GIVE_UP).pollInterval(Duration.ofMillis(500))
                .until(() -> ranOn(procs, count), ran -> ran.size() == count);
    }

    private static long[] survivors(List<Long> pids, long gone) {
        return pids.stream().filter(p -> p != gone).mapToLong(Long::longValue).toArray();
    }

    /** Which worker ran each job that has run, by job index, from the values the jobs recorded. */
    private static Map<Integer, Long> ranOn(ProcessManager procs, int count) {
        Map<Integer, Long> ran = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Long pid = procs.fetch(SquareJob.ranKey(i), Long.class);
            if (pid != null) {
                ran.put(i, pid);
            }
        }
        return ran;
    }
}
