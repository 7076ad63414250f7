package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.createWorkers;
import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.testjobs.Work;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Workers come and go as the seed says: close, delete, addWorkers, createWorkers and push. */
@ExtendWith(UsesTestRedis.class)
class LifecycleIT {

    @Test
    void closeDeleteAndAddWorkersChangeTheWorkerPidsAsTheSeedSays() {
        try (ProcessManager procs = processes(3)) {
            procs.assign(1, newJob(Work::sleep, 1000));
            procs.assign(1, newJob(() -> "moved"));
            procs.close(1);
            assertThat(procs.get(1).isClosed()).isTrue();
            assertThat(procs.get(1).toString()).endsWith("(closed)");
            assertThat(procs.workerPids()).containsExactly(1L, 2L, 3L);
            // the job still queued on the closed worker went to the backlog and ran elsewhere
            assertThat(procs.waitFor(Duration.ofSeconds(60), 1)).containsExactly("moved");

            procs.delete(3);
            assertThat(procs.workerPids()).containsExactly(1L, 2L);

            procs.addWorkers(2, Threaded.class, "extra-a", "extra-b");
            assertThat(procs.workerPids()).containsExactly(1L, 2L, 4L, 5L);
            assertThat(procs.get("extra-a").pid()).isEqualTo(4);
            assertThat(procs.get("extra-b").pid()).isEqualTo(5);
            assertThat(procs.distribute(newJob(() -> 1), newJob(() -> 2), newJob(() -> 3))).containsExactly(2L, 4L, 5L);
            procs.waitFor(Duration.ofSeconds(60));
        }
    }

    @Test
    void createdWorkersArePushedWithTheirOwnPidsAndClosedWithTheManager() {
        ProcessManager procs = processes(1);
        List<Worker<?>> made = createWorkers(1, Threaded.class);
        Worker<?> w = made.get(0);
        assertThat(w.pid()).isNotEqualTo(1L);
        procs.push(w);
        assertThat(procs.workerPids()).containsExactly(1L, w.pid());
        procs.assign(w.pid(), newJob(() -> "from the pushed worker"));
        assertThat(procs.waitFor(Duration.ofSeconds(60), w.pid())).containsExactly("from the pushed worker");
        procs.close();
        assertThat(w.isClosed()).isTrue();
    }

    @Test
    void closeStopsTheSpawnedJvms() {
        ProcessManager procs = processes(2);
        Fleet fleet = procs.fleetIfConnected().orElseThrow();
        List<Long> ospids = procs.workerPids().stream()
                .map(pid -> Long.parseLong(fleet.workerInfo(pid).get("ospid")))
                .toList();
        assertThat(ospids).allSatisfy(p -> assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive)).contains(true));
        procs.close();
        assertThat(ospids).allSatisfy(p -> assertThat(ProcessHandle.of(p).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(procs.workers()).allSatisfy(w -> assertThat(w.isClosed()).isTrue());

        // the seed adds workers after close(procs): the manager opens again
        procs.addWorkers(1);
        try {
            assertThat(procs.workerPids()).containsExactly(1L, 2L, 3L);
            procs.assign(3, newJob(() -> "again"));
            assertThat(procs.waitFor(Duration.ofSeconds(60), 3)).containsExactly("again");
        } finally {
            procs.close();
        }
    }

    @Test
    void workersExitWhenTheirManagerJvmIsKilled() throws Exception {
        String fleetName = TestRedis.uniqueFleet("orphans");
        Process manager = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp", System.getProperty("java.class.path"),
                        "-Dpp.redis.url=" + TestRedis.url(), "-Dpp.fleet=" + fleetName,
                        "io.parametric.manager.testjobs.ManagerMain")
                .redirectErrorStream(true)
                .start();
        String line;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(manager.getInputStream()))) {
            while ((line = out.readLine()) != null && !line.startsWith("WORKER_OSPID ")) {
                // skip the manager's other output
            }
            assertThat(line).as("the manager JVM printed its worker's OS pid").isNotNull();
            long worker = Long.parseLong(line.substring("WORKER_OSPID ".length()).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(worker);
            assertThat(handle).isPresent();
            manager.destroyForcibly();
            await().atMost(Duration.ofSeconds(30)).until(() -> !handle.get().isAlive());
        } finally {
            manager.destroyForcibly();
        }
    }
}
