package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLoaderTest {

    @TempDir
    Path dir;

    @Test
    void aJobFolderServesItsJarsAndItsOwnFiles() throws Exception {
        Path jobs = Files.createDirectories(dir.resolve("jobs"));
        try (OutputStream out = Files.newOutputStream(jobs.resolve("render.jar"));
             JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("render/marker.txt"));
            jar.write("from the jar".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Files.writeString(jobs.resolve("loose.txt"), "from the folder");

        ClassLoader loader = Launcher.jobLoader(List.of(jobs));

        assertThat(loader.getResource("render/marker.txt")).as("resource inside a jar in the folder").isNotNull();
        assertThat(loader.getResource("loose.txt")).as("file of the class folder itself").isNotNull();
    }
}
