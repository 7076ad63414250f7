package io.parametric.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the enforcer rule cannot see: Micrometer is only ever an optional dependency of a published
 * artifact, and the worker's published (dependency-reduced) pom no longer lists picocli, which
 * its jar carries relocated. Runs after the package phase, when those files exist.
 */
class PublishedPomsIT {

    private static final Path ROOT = Path.of("..");
    private static final List<String> PUBLISHED = List.of("shared", "worker", "manager", "testkit");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    @Test
    void micrometerIsOnlyEverAnOptionalDependency() throws IOException {
        for (String module : PUBLISHED) {
            for (String dependency : dependencies(ROOT.resolve(module).resolve("pom.xml"))) {
                if (dependency.contains("<groupId>io.micrometer</groupId>")) {
                    assertThat(dependency).as("Micrometer in %s/pom.xml", module).contains("<optional>true</optional>");
                }
            }
        }
    }

    @Test
    void theWorkersPublishedPomHasNoPicocliAndItsJarCarriesItRelocated() throws IOException {
        Path reduced = ROOT.resolve("worker/target/dependency-reduced-pom.xml");
        assertThat(reduced).as("written by the worker's shade step in the package phase").exists();
        assertThat(dependencies(reduced)).noneMatch(d -> d.contains("picocli"));
        try (var files = Files.list(ROOT.resolve("worker/target"))) {
            Path jar = files.filter(p -> p.getFileName().toString().matches("parametric-worker-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertThat(zip.getEntry("io/parametric/worker/internal/picocli/CommandLine.class")).isNotNull();
                assertThat(zip.getEntry("picocli/CommandLine.class")).isNull();
            }
        }
    }

    private static List<String> dependencies(Path pom) throws IOException {
        String text = Files.readString(pom);
        int start = text.indexOf("<dependencies>");
        List<String> out = new ArrayList<>();
        if (start < 0) {
            return out;
        }
        Matcher m = DEPENDENCY.matcher(text.substring(start, text.indexOf("</dependencies>", start)));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
