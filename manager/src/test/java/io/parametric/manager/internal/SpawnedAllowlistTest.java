package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnedAllowlistTest {

    @TempDir
    Path dir;

    @Test
    void admitsThePackagesOfClassPathFoldersButNotJarsOrTheLibraryNeverEverything() throws IOException {
        Path classes = dir.resolve("classes");
        for (String f : new String[] {"com/acme/jobs/A.class", "com/acme/jobs/deep/B.class", "org/other/C.class", "Top.class"}) {
            Files.createDirectories(classes.resolve(f).getParent());
            Files.createFile(classes.resolve(f));
        }
        Path dependency = Files.createFile(dir.resolve("dependency.jar"));
        String library = Path.of(WorkerSpawner.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        String classpath = String.join(File.pathSeparator, classes.toString(), dependency.toString(), library);
        // (Under surefire the java -jar is its booter, whose main package joins too.)
        assertThat(SpawnedAllowlist.prefixes(classpath).split(","))
                .contains("com.acme.jobs", "org.other")
                .doesNotContain("com.acme.jobs.deep", "io.parametric.manager", "*", "");
    }

    @Test
    void thePropertyNamesThemExplicitly() {
        System.setProperty(SpawnedAllowlist.PROPERTY, "com.acme.jobs");
        try {
            assertThat(SpawnedAllowlist.prefixes(dir.toString())).isEqualTo("com.acme.jobs");
        } finally {
            System.clearProperty(SpawnedAllowlist.PROPERTY);
        }
    }
}
