package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeFileTest {

    @TempDir
    Path dir;

    @Test
    void touchCreatesTheFileThenRefreshesItsModificationTime() throws Exception {
        Path file = dir.resolve("alive");
        ProbeFile liveness = new ProbeFile(file, "PP_LIVENESS_FILE");

        liveness.touch();
        assertThat(file).exists();

        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        liveness.touch();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isAfter(Instant.parse("2021-01-01T00:00:00Z"));
    }

    @Test
    void removeDeletesTheFileSoItsProbeFailsAtOnce() {
        Path file = dir.resolve("ready");
        ProbeFile readiness = new ProbeFile(file, "PP_READINESS_FILE");
        readiness.touch();

        readiness.remove();
        assertThat(file).doesNotExist();
        assertThatCode(readiness::remove).doesNotThrowAnyException();
    }

    @Test
    void touchNeverThrowsWhenTheFileCannotBeWritten() {
        ProbeFile liveness = new ProbeFile(dir.resolve("missing-folder/alive"), "PP_LIVENESS_FILE");
        assertThatCode(liveness::touch).doesNotThrowAnyException();
        assertThatCode(liveness::touch).doesNotThrowAnyException();
    }

    @Test
    void withoutAPathTouchAndRemoveDoNothing() {
        ProbeFile none = new ProbeFile(null, "PP_READINESS_FILE");
        assertThatCode(none::touch).doesNotThrowAnyException();
        assertThatCode(none::remove).doesNotThrowAnyException();
    }
}
