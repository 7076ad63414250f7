package io.parametric.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file the heartbeat thread keeps fresh so a container's probes ({@code deploy/docker/pp-probe})
 * can read the worker's health without a Redis client; a probe fails when the file is missing or
 * older than the lease. Two of them:
 * <ul>
 *   <li>liveness ({@code PP_LIVENESS_FILE}): touched on every beat, and while a beat waits out a
 *       Redis outage — the worker is alive and waiting, no reason to restart it;</li>
 *   <li>readiness ({@code PP_READINESS_FILE}): touched after each beat that reached Redis with a
 *       registered slot, removed while Redis cannot be reached.</li>
 * </ul>
 * The worker image sets both; an unset variable means no file.
 */
final class ProbeFile {

    private static final Logger log = LoggerFactory.getLogger(ProbeFile.class);

    private final Path path;
    private final String variable;
    private boolean warned;

    /**
     * @param path the file, or null for none
     * @param variable the environment variable that names it, for messages
     */
    ProbeFile(Path path, String variable) {
        this.path = path;
        this.variable = variable;
    }

    /** @return the liveness file named by {@code PP_LIVENESS_FILE}, or one that does nothing */
    static ProbeFile liveness() {
        return fromEnvironment("PP_LIVENESS_FILE");
    }

    /** @return the readiness file named by {@code PP_READINESS_FILE}, or one that does nothing */
    static ProbeFile readiness() {
        return fromEnvironment("PP_READINESS_FILE");
    }

    private static ProbeFile fromEnvironment(String variable) {
        String file = System.getenv(variable);
        return new ProbeFile(file == null || file.isBlank() ? null : Path.of(file), variable);
    }

    /** Creates the file or moves its modification time to now; a failure is logged once, never thrown. */
    void touch() {
        if (path == null) {
            return;
        }
        try {
            if (Files.exists(path)) {
                Files.setLastModifiedTime(path, FileTime.from(Instant.now()));
            } else {
                Files.createFile(path);
            }
        } catch (IOException | RuntimeException e) {
            warnOnce(e);
        }
    }

    /** Removes the file, so its probe fails at once; a failure is logged once, never thrown. */
    void remove() {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            warnOnce(e);
        }
    }

    private void warnOnce(Exception e) {
        if (!warned) {
            warned = true;
            log.warn("cannot write the probe file {} ({}): {}; a probe reading it will fail — make its folder"
                    + " writable or unset {}", path, variable, e.toString(), variable);
        }
    }
}
