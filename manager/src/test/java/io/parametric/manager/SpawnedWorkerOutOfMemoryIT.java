package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.internal.ThreadedBackend;
import io.parametric.manager.testjobs.Work;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A spawned worker runs with -XX:+ExitOnOutOfMemoryError: out of heap, it ends at once (status 3),
 * the manager says why and starts another, and the job becomes poison after its delivery limit.
 */
@ExtendWith(UsesTestRedis.class)
class SpawnedWorkerOutOfMemoryIT {

    @Test
    void aJobThatRunsTheHeapOutEndsEachSpawnedWorkerItReachesUntilItIsPoison() {
        LoggedLines logged = LoggedLines.of(ThreadedBackend.class);
        // A small heap, so the job runs it out fast; the exit flag is not among these options.
        String previous = System.setProperty("pp.worker.jvmOptions", "-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        try (ProcessManager procs = processes(1)) {
            JobFuture<Object> hog = procs.submit(newJob(Work::hog));
            assertThatThrownBy(() -> hog.get(120, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.POISON));
            // One line per worker the job ended (written just after its jobs were handed on).
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deaths(logged)).hasSizeGreaterThanOrEqualTo(3)
                    .allMatch(m -> m.contains("ran out of memory (exit status 3: -XX:+ExitOnOutOfMemoryError)"), "out of memory, status 3"));
        } finally {
            logged.close();
            if (previous == null) {
                System.clearProperty("pp.worker.jvmOptions");
            } else {
                System.setProperty("pp.worker.jvmOptions", previous);
            }
        }
    }

    private static List<String> deaths(LoggedLines logged) {
        return logged.messages().stream().filter(m -> m.startsWith("spawned worker")).toList();
    }
}
