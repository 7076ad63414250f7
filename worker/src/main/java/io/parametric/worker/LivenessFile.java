package io.parametric.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file the heartbeat thread touches on every beat, and while a beat waits out a Redis outage,
 * so a container's liveness probe ({@code deploy/docker/pp-liveness}) can tell a working worker
 * from a hung one without a Redis client: the probe fails when the file is older than the lease.
 * Its path is {@code PP_LIVENESS_FILE} (the worker image sets it); unset means no file.
 */
final class LivenessFile {

    private static final Logger log = LoggerFactory.getLogger(LivenessFile.class);

    private final Path path;
    private boolean warned;

    /** @param path the file to touch, or null for none */
    LivenessFile(Path path) {
        this.path = path;
    }

    /** @return the file named by {@code PP_LIVENESS_FILE}, or one that does nothing when it is unset */
    static LivenessFile fromEnvironment() {
        String file = System.getenv("PP_LIVENESS_FILE");
        return new LivenessFile(file == null || file.isBlank() ? null : Path.of(file));
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
            if (!warned) {
                warned = true;
                log.warn("cannot touch the liveness file {} (PP_LIVENESS_FILE): {}; a liveness probe reading it will"
                        + " fail — make its folder writable or unset PP_LIVENESS_FILE", path, e.toString());
            }
        }
    }
}
