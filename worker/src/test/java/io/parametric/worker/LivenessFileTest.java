package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivenessFileTest {

    @TempDir
    Path dir;

    @Test
    void touchCreatesTheFileThenRefreshesItsModificationTime() throws Exception {
        Path file = dir.resolve("alive");
        LivenessFile liveness = new LivenessFile(file);

        liveness.touch();
        assertThat(file).exists();

        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        liveness.touch();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isAfter(Instant.parse("2021-01-01T00:00:00Z"));
    }

    @Test
    void touchNeverThrowsWhenTheFileCannotBeWritten() {
        LivenessFile liveness = new LivenessFile(dir.resolve("missing-folder/alive"));
        assertThatCode(liveness::touch).doesNotThrowAnyException();
        assertThatCode(liveness::touch).doesNotThrowAnyException();
    }

    @Test
    void withoutAPathTouchDoesNothing() {
        assertThatCode(new LivenessFile(null)::touch).doesNotThrowAnyException();
    }
}
