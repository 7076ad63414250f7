package io.parametric.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README honest: every line of its Java snippets is a line of compiled example code, and
 * its dependency snippets name published artifacts at the build's version.
 */
class ReadmeSnippetsTest {

    private static final Set<String> PUNCTUATION = Set.of("}", "});", "}));", "...");

    @Test
    void everySnippetLineOccursInTheExampleSources() throws IOException {
        Set<String> sourceLines = new HashSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Files.readAllLines(file).forEach(line -> sourceLines.add(line.strip()));
            }
        }

        List<String> snippetLines = snippetLines(Files.readAllLines(Path.of("..", "README.md")));

        assertThat(snippetLines).isNotEmpty();
        assertThat(snippetLines)
                .filteredOn(line -> !PUNCTUATION.contains(line))
                .allSatisfy(line -> assertThat(sourceLines).as("a line of the example sources").contains(line));
    }

    @Test
    void dependencySnippetsNamePublishedArtifactsAtTheBuildsVersion() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher parent = Pattern.compile("<artifactId>parametric-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(parent.find()).isTrue();
        String version = parent.group(1);

        Map<String, String> named = new LinkedHashMap<>();
        Matcher maven = Pattern.compile("<groupId>io\\.parametric</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(readme);
        while (maven.find()) {
            named.put("maven " + maven.group(1), maven.group(2));
        }
        Matcher gradle = Pattern.compile("\"io\\.parametric:([^:\"]+):([^\"]+)\"").matcher(readme);
        while (gradle.find()) {
            named.put("gradle " + gradle.group(1), gradle.group(2));
        }

        assertThat(named).containsKeys("maven parametric-manager", "gradle parametric-manager");
        Map<String, Path> published = publishedModules();
        named.forEach((snippet, snippetVersion) -> {
            assertThat(snippetVersion).as(snippet).isEqualTo(version);
            assertThat(published).as("a published module for " + snippet).containsKey(snippet.substring(snippet.indexOf(' ') + 1));
        });
    }

    /** @return artifactId to module folder, for modules that do not mark themselves unpublished */
    private static Map<String, Path> publishedModules() throws IOException {
        Map<String, Path> modules = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(Path.of(".."))) {
            for (Path pom : dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).toList()) {
                String text = Files.readString(pom);
                Matcher id = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(text);
                if (id.find() && !text.contains("<pp.unpublished>true</pp.unpublished>")) {
                    modules.put(id.group(1), pom.getParent());
                }
            }
        }
        return modules;
    }

    private static List<String> snippetLines(List<String> markdown) {
        List<String> lines = new ArrayList<>();
        boolean inJava = false;
        for (String line : markdown) {
            if (line.strip().startsWith("```")) {
                inJava = !inJava && line.strip().equals("```java");
            } else if (inJava && !line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
