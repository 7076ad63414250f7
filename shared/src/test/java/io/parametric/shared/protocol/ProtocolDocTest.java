package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The key table of docs/protocol.md for the version the code speaks lists exactly the keys FleetKeys builds. */
class ProtocolDocTest {

    private static final Pattern FIRST_CELL = Pattern.compile("^\\| `([^`]+)` \\|");

    /** @return the first-column keys of the first key table in the section "# Protocol N" of the code's version */
    private static Set<String> documentedKeys() throws IOException {
        Path doc = Path.of("..", "docs", "protocol.md");
        String text = Files.readString(doc);
        String heading = "\n# Protocol " + JobPayload.VERSION;
        int from = text.indexOf(heading);
        assertThat(from).as("docs/protocol.md has a section '# Protocol %s'", JobPayload.VERSION).isNotNegative();
        int to = text.indexOf("\n# ", from + heading.length());
        String section = text.substring(from, to < 0 ? text.length() : to);
        int table = section.indexOf("| key (after the prefix) |");
        assertThat(table).as("the section has a key table").isNotNegative();
        Set<String> keys = new LinkedHashSet<>();
        for (String line : section.substring(table).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            Matcher m = FIRST_CELL.matcher(line);
            if (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    @Test
    void everyKeyOfFleetKeysIsInTheDocumentsKeyTableAndBack() throws IOException {
        assertThat(documentedKeys())
                .containsExactlyInAnyOrderElementsOf(FleetKeyPatterns.of(new FleetKeys("doc")).values());
    }
}
