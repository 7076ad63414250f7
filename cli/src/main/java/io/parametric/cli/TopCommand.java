package io.parametric.cli;

import io.parametric.manager.FleetStats;
import io.parametric.manager.internal.StatsReader;
import io.parametric.shared.protocol.Durations;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code top}: the status table refreshed in place, with jobs/s. */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Shows the status table refreshed in place (Ctrl-C to stop), with the jobs ended per second.")
final class TopCommand extends FleetCommand implements Callable<Integer> {

    private static final String CLEAR = "\033[H\033[2J";

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "time between refreshes (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "stop after N screens; 0 runs until interrupted (default: ${DEFAULT-VALUE})")
    int count;

    @Override
    public Integer call() throws InterruptedException {
        Duration every = Durations.parse(interval);
        boolean terminal = System.console() != null;
        JobRate rate = new JobRate();
        try (Session session = open()) {
            for (int screen = 1; count == 0 || screen <= count; screen++) {
                FleetStats s = StatsReader.read(session.shards());
                rate.next(s);
                out().print((terminal ? CLEAR : screen > 1 ? "\n" : "")
                        + "parametric-cli top  " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                        + "  (every " + interval + ", Ctrl-C to stop)\n"
                        + StatsTable.render(s, rate.perSecond()));
                out().flush();
                if (count == 0 || screen < count) {
                    Thread.sleep(every.toMillis());
                }
            }
        }
        return 0;
    }
}
