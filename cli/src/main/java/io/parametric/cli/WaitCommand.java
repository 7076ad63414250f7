package io.parametric.cli;

import io.parametric.manager.FleetStats;
import io.parametric.manager.internal.StatsReader;
import io.parametric.shared.protocol.Durations;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.ProgressBar;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wait [ID...]}: a progress bar until the given jobs have outcomes, or, without ids,
 * until the fleet has nothing waiting or running.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Shows a progress bar (with rate and time left) until the given jobs have outcomes, or,",
            "without ids, until the fleet's backlog, delayed jobs, queues and running jobs are all done.",
            "Exits 1 when a given job failed or is unknown, or at the timeout."})
final class WaitCommand extends FleetCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(250);

    @Parameters(paramLabel = "ID", arity = "0..*", description = "job ids; none: the whole fleet draining")
    List<String> ids = List.of();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h",
            description = "give up after this long (default: ${DEFAULT-VALUE})")
    String timeout;

    private final JobRate rate = new JobRate();
    private long endedSinceStart;

    @Override
    public Integer call() throws InterruptedException {
        long deadline = System.nanoTime() + Durations.parse(timeout).toNanos();
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        try (Session session = open()) {
            Progress first = progress(session);
            if (first.unknown() > 0) {
                err().println("wait: " + first.unknown() + " of the jobs are unknown in this fleet (never placed here, or expired)");
                return 1;
            }
            ProgressBar bar = new ProgressBar(out(), terminal);
            while (true) {
                Progress p = progress(session);
                double seconds = (System.nanoTime() - start) / 1e9;
                double perSecond = seconds < 0.5 ? 0 : (p.done() - first.done()) / seconds;
                boolean finished = bar.show(p.done(), p.total(), perSecond);
                if (finished) {
                    return finish(p);
                }
                if (System.nanoTime() > deadline) {
                    err().println((terminal ? "\n" : "") + "wait: gave up after " + timeout + " with "
                            + (p.total() - p.done()) + " not done");
                    return 1;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    private int finish(Progress p) {
        if (p.failed() > 0) {
            err().println("wait: " + p.failed() + " of the jobs failed; see jobs show ID");
            return 1;
        }
        out().println(ids.isEmpty() ? "the fleet has nothing left to run" : "all " + ids.size() + " jobs done");
        return 0;
    }

    private Progress progress(Session session) {
        if (ids.isEmpty()) {
            FleetStats s = StatsReader.read(session.shards());
            endedSinceStart += rate.next(s);
            long left = s.backlog() + s.delayed() + s.queued() + s.running();
            return new Progress(endedSinceStart, endedSinceStart + left, 0, 0);
        }
        List<String> states = records(session.shards()).stream().map(r -> r == null ? null : r.state()).toList();
        long done = 0;
        long failed = 0;
        long unknown = 0;
        for (Object state : states) {
            if (state == null) {
                unknown++;
            } else if (state.equals("done")) {
                done++;
            } else if (state.equals("failed") || state.equals("cancelled")) {
                done++;
                failed++;
            }
        }
        return new Progress(done, ids.size(), failed, unknown);
    }

    /** @return the given jobs' records, each from whichever shard knows it (null where none does) */
    private List<JobRecord> records(FleetShards shards) {
        List<JobRecord> found = new java.util.ArrayList<>(java.util.Collections.nCopies(ids.size(), null));
        for (Fleet shard : shards.all()) {
            List<JobRecord> here = shard.records(ids);
            for (int i = 0; i < ids.size(); i++) {
                if (found.get(i) == null) {
                    found.set(i, here.get(i));
                }
            }
        }
        return found;
    }

    /** What is finished out of what there is; failed and unknown count jobs given by id. */
    private record Progress(long done, long total, long failed, long unknown) {}
}
