package io.parametric.cli;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.FleetShards;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shards [N]}: the fleet's shard count, or raise it to N (docs/scaling.md). */
@Command(name = "shards", mixinStandardHelpOptions = true,
        description = {"Prints the fleet's shard count and each shard's backlog and live workers; with N, raises the count",
            "to N first (1 to 256; it never falls). Workers that start later join the shard that most needs them;",
            "managers follow within a lease. See docs/scaling.md. Exits 1 when N is below the count."})
final class ShardsCommand extends FleetCommand implements Callable<Integer> {

    @Parameters(paramLabel = "N", arity = "0..1", description = "the shard count to raise the fleet to")
    Integer raiseTo;

    @Override
    public Integer call() {
        try (Session session = open()) {
            FleetShards shards = session.shards();
            if (raiseTo != null) {
                try {
                    shards.raiseTo(raiseTo);
                } catch (ProcessError | IllegalArgumentException e) {
                    err().println("shards: " + e.getMessage());
                    return 1;
                }
            }
            out().println("fleet '" + shards.fleet() + "': " + shards.count() + (shards.count() == 1 ? " shard" : " shards"));
            for (var shard : shards.all()) {
                out().printf("  shard %d  %-40s backlog %d, %d live workers%n", shard.keys().shard(), shard.keys().prefix(),
                        session.redis().llen(shard.keys().backlog()), shard.livePids().size());
            }
            return 0;
        }
    }
}
