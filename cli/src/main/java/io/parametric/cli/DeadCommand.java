package io.parametric.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dead list|requeue|purge}: the fleet's dead-letter list. */
@Command(name = "dead", mixinStandardHelpOptions = true,
        description = "The dead-letter list: poison jobs and entries that could not be read as jobs.",
        subcommands = {DeadCommand.ListEntries.class, DeadCommand.Requeue.class, DeadCommand.Purge.class})
final class DeadCommand {

    /** {@code dead list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints each entry: job id and reason.")
    static final class ListEntries extends FleetCommand implements Callable<Integer> {

        @Option(names = "--json", description = "print the entries as a JSON array")
        boolean json;

        @Override
        public Integer call() {
            List<String> entries;
            try (Session session = open()) {
                entries = session.shards().deadLetters();
            }
            List<JsonNode> parsed = new ArrayList<>();
            for (String e : entries) {
                parsed.add(parse(e));
            }
            if (json) {
                out().println(JsonOutput.write(parsed));
                return 0;
            }
            out().println(entries.size() + " dead-letter entries");
            for (int i = 0; i < parsed.size(); i++) {
                JsonNode e = parsed.get(i);
                out().printf("%4d  %-34s %s%n", i + 1, e.path("jobId").asText("-"), e.path("reason").asText("(no reason)"));
            }
            return 0;
        }

        private static JsonNode parse(String entry) {
            try {
                JsonNode n = Json.MAPPER.readTree(entry);
                if (n != null && n.isObject()) {
                    return n;
                }
            } catch (Exception e) {
                // shown below as unreadable
            }
            return Json.MAPPER.createObjectNode().put("reason", "unreadable entry").put("entry", entry);
        }
    }

    /** {@code dead requeue}. */
    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = "Gives every dead-lettered job a fresh start on an open worker or the backlog; other entries stay.")
    static final class Requeue extends FleetCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            try (Session session = open()) {
                int requeued = session.shards().requeueDeadLetters();
                out().println("requeued " + requeued + " jobs; " + session.shards().deadLetters().size() + " entries stay");
            }
            return 0;
        }
    }

    /** {@code dead purge}. */
    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Empties the dead-letter list.")
    static final class Purge extends FleetCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            try (Session session = open()) {
                out().println("purged " + session.shards().purgeDeadLetters() + " entries");
            }
            return 0;
        }
    }
}
