package io.parametric.cli;

import io.parametric.manager.FleetStats;
import io.parametric.manager.internal.StatsReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: one table of the fleet; exits 1 when it has no live worker. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints the fleet's workers (state, queue, running job and its age, done/failed)",
            "and its backlog, delayed and dead-letter counts. Exits 1 when the fleet has no live worker."})
final class StatusCommand extends FleetCommand implements Callable<Integer> {

    @Option(names = "--json", description = "print JSON named like FleetStats/WorkerStats instead of the table")
    boolean json;

    @Override
    public Integer call() {
        FleetStats s;
        try (Session session = open()) {
            s = StatsReader.read(session.shards());
        }
        out().print(json ? JsonOutput.write(StatsJson.of(s)) + "\n" : StatsTable.render(s, -1));
        out().flush();
        if (s.workers().isEmpty()) {
            err().println("status: fleet '" + s.fleet() + "' has no live worker");
            return 1;
        }
        return 0;
    }
}
