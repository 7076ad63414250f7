package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import io.parametric.shared.testing.UsesTestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Where a manager's fleet secret comes from, and how its spawned workers get it. */
@ExtendWith(UsesTestRedis.class)
class FleetSecretIT {

    @AfterEach
    void theTestsSecretAgain() {
        System.setProperty(UsesTestRedis.SECRET_PROPERTY, TestSecret.VALUE);
    }

    @Test
    void connectWithoutASecretIsNotAllowedAndSaysHowToSetOne() {
        assumeThat(System.getenv()).doesNotContainKeys("PP_SECRET", "PP_SECRET_FILE", "PP_INSECURE");
        System.clearProperty(UsesTestRedis.SECRET_PROPERTY);

        assertThatThrownBy(() -> connect(TestRedis.url(), "no-secret"))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED))
                .hasMessageContaining("no fleet secret: set PP_SECRET")
                .hasMessageContaining("PP_SECRET_FILE")
                .hasMessageContaining("-Dpp.secret");
        assertThatThrownBy(() -> connect(TestRedis.url(), "short-secret", "not-sixteen"))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED))
                .hasMessageContaining("11 characters, fewer than 16")
                .hasMessageNotContaining("not-sixteen");
    }

    @Test
    void spawnedWorkersGetTheConfiguredSecretInTheirEnvironmentNeverOnTheirCommandLine() throws Exception {
        try (ProcessManager procs = processes(1)) {
            long pid = procs.workerPids().get(0);
            procs.assign(pid, newJob(() -> "ran"));
            assertThat(procs.waitFor(Duration.ofSeconds(60), pid)).containsExactly("ran");

            long osPid = osPid(procs, pid);
            assertThat(environment(osPid)).containsEntry("PP_SECRET", TestSecret.VALUE).doesNotContainKey("PP_INSECURE");
            assertThat(commandLine(osPid)).doesNotContain(TestSecret.VALUE);
        }
    }

    @Test
    void withoutAConfiguredSecretProcessesGivesItsWorkersARandomOne() throws Exception {
        assumeThat(System.getenv()).doesNotContainKeys("PP_SECRET", "PP_SECRET_FILE", "PP_INSECURE");
        System.clearProperty(UsesTestRedis.SECRET_PROPERTY);
        try (ProcessManager procs = processes(1)) {
            long pid = procs.workerPids().get(0);
            procs.assign(pid, newJob(() -> "ran"));
            assertThat(procs.waitFor(Duration.ofSeconds(60), pid)).containsExactly("ran");

            long osPid = osPid(procs, pid);
            String generated = environment(osPid).get("PP_SECRET");
            assertThat(generated).hasSize(43).isNotEqualTo(TestSecret.VALUE);
            assertThat(commandLine(osPid)).doesNotContain(generated);
            assertThat(procs.fleetIfConnected().orElseThrow().secret().toString()).doesNotContain(generated);
        }
    }

    private static long osPid(ProcessManager procs, long pid) {
        Fleet fleet = procs.fleetIfConnected().orElseThrow();
        return Long.parseLong(fleet.workerInfo(pid).get("ospid"));
    }

    /** A process's environment as the kernel holds it (Linux). */
    private static Map<String, String> environment(long osPid) throws Exception {
        Path environ = Path.of("/proc", Long.toString(osPid), "environ");
        assumeThat(environ).exists();
        return Arrays.stream(new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0"))
                .filter(e -> e.contains("="))
                .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1),
                        (a, b) -> b));
    }

    /** A process's command line as any local user sees it (Linux). */
    private static String commandLine(long osPid) throws Exception {
        Path cmdline = Path.of("/proc", Long.toString(osPid), "cmdline");
        assumeThat(cmdline).exists();
        return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
    }
}
