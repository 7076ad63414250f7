package io.parametric.manager.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default JVM options of spawned workers ({@code pp.worker.jvmOptions} unset): the serial
 * collector, and C1-compiled code everywhere except the JDK's SHA-256 and HMAC classes, which C2
 * compiles. A spawned worker starts fast and a short run pays more for C2 compiling the whole
 * runtime than it saves; but a worker checks and signs an HMAC-SHA-256 twice per job, and C2 has
 * an intrinsic for SHA-256 (about 5.8 µs per HMAC of an entry as C1 code, 0.9 µs this way). The
 * split is made with HotSpot compiler directives (JEP 165, {@code worker-compiler.json}), written
 * once to a temporary file; when that file cannot be written, C1 only
 * ({@code -XX:TieredStopAtLevel=1}).
 */
final class WorkerJit {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerJit.class);
    private static final String DIRECTIVES = "worker-compiler.json";

    private WorkerJit() {
    }

    /** @return the options, the directives file written on first use */
    static List<String> options() {
        return Holder.OPTIONS;
    }

    /** Written on first use: a manager that spawns no worker writes nothing. */
    private static final class Holder {
        static final List<String> OPTIONS = build();
    }

    private static List<String> build() {
        try (InputStream in = WorkerJit.class.getResourceAsStream(DIRECTIVES)) {
            if (in == null) {
                throw new IOException(DIRECTIVES + " is missing from the manager's jar");
            }
            Path file = Files.createTempFile("pp-worker-compiler-", ".json");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return List.of("-XX:+UseSerialGC", "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("spawned workers run C1 code only ({}): cannot write their compiler directives: {}",
                    "-XX:TieredStopAtLevel=1", e.getMessage());
            return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        }
    }
}
