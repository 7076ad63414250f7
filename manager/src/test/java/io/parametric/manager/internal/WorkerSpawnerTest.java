package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.testing.TestSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerSpawnerTest {

    @Test
    void aSpawnedWorkerEndsOnOutOfMemoryUnlessTheJvmOptionsTurnItOff() {
        String previous = System.setProperty("pp.worker.jvmOptions", "-Xmx1g -XX:-ExitOnOutOfMemoryError");
        try {
            List<String> command = WorkerSpawner.command("redis://127.0.0.1:1", false, "f", TestSecret.secret(), null).command();
            // HotSpot takes the last of two settings of a flag: the user's options come after ours.
            assertThat(command.indexOf("-XX:+ExitOnOutOfMemoryError")).isPositive()
                    .isLessThan(command.indexOf("-XX:-ExitOnOutOfMemoryError"));
            assertThat(command.indexOf("-Xmx1g")).isLessThan(command.indexOf("-cp"));
        } finally {
            restore(previous);
        }
        assertThat(WorkerSpawner.command("redis://127.0.0.1:1", false, "f", TestSecret.secret(), null).command())
                .contains("-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC");
    }

    @Test
    void byDefaultOnlyTheJdksSha256AndHmacClassesAreLeftToC2AndTheJvmAcceptsTheDirectives() throws Exception {
        List<String> options = WorkerJit.options();
        assertThat(options).contains("-XX:+UseSerialGC", "-XX:+UnlockDiagnosticVMOptions").doesNotContain("-XX:TieredStopAtLevel=1");
        String directives = options.stream().filter(o -> o.startsWith("-XX:CompilerDirectivesFile=")).findFirst().orElseThrow();
        assertThat(Files.readString(Path.of(directives.substring(directives.indexOf('=') + 1))))
                .contains("sun/security/provider/SHA2.*", "com/sun/crypto/provider/HmacCore.*", "c2: { Exclude: true }");
        // A JVM refuses to start on directives it cannot parse ("Parsing of compiler directives failed").
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", directives, "-version").redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(output).isZero();
        assertThat(WorkerSpawner.command("redis://127.0.0.1:1", false, "f", TestSecret.secret(), null).command())
                .containsSubsequence(options);
    }

    @Test
    void onlyWorkersOfTheManagersPrivateRedisAreToldSo() {
        assertThat(WorkerSpawner.command("redis://127.0.0.1:1", true, "f", TestSecret.secret(), null).command()).contains("--private-redis");
        assertThat(WorkerSpawner.command("redis://127.0.0.1:1", false, "f", TestSecret.secret(), null).command()).doesNotContain("--private-redis");
        // A password no path holds (the class path of a checkout under .../secret/ would match "secret").
        assertThat(WorkerSpawner.command("redis://:pw-k3q9z@127.0.0.1:1", true, "f", TestSecret.secret(), null).command())
                .as("credentials and the fleet secret go by environment")
                .noneMatch(a -> a.contains("pw-k3q9z") || a.contains(TestSecret.VALUE));
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty("pp.worker.jvmOptions");
        } else {
            System.setProperty("pp.worker.jvmOptions", previous);
        }
    }
}
