package io.parametric.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the README honest: every line of its Java snippets is a line of compiled example code. */
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
