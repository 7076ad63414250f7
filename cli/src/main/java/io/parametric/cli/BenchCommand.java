package io.parametric.cli;

import io.parametric.bench.BenchMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code bench [scenario] [options]}: the benchmark module's scenarios ({@code parametric-bench}),
 * run once in this JVM; every argument goes to it ({@code bench --help} lists them). The Redisson
 * baseline is not in this jar: {@code --baseline} needs {@code bench/target/parametric-bench.jar}.
 */
@Command(name = "bench", description = {"Runs the benchmark module's scenarios (standard, million, workers50, soak) once",
    "and prints its table; arguments are parametric-bench's (see bench --help). --redis is passed on when",
    "given; without it a private redis-server is started. --baseline needs bench/target/parametric-bench.jar."})
final class BenchCommand extends FleetCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (args.contains("--baseline")) {
            err().println("bench: the Redisson baseline is not bundled in parametric-cli.jar; run"
                    + " java -jar bench/target/parametric-bench.jar --baseline");
            return Main.FAILED;
        }
        List<String> forwarded = new ArrayList<>(args);
        if (spec.commandLine().getParseResult().hasMatchedOption("--redis")
                || spec.root().commandLine().getParseResult().hasMatchedOption("--redis")) {
            forwarded.add("--redis");
            forwarded.add(((Main) spec.root().userObject()).fleet.redis);
        }
        out().flush();
        return BenchMain.run(forwarded.toArray(String[]::new), System.out, System.err);
    }
}
