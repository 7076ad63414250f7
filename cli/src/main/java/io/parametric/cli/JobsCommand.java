package io.parametric.cli;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobs show ID}: one job's state, deliveries, payload summary and outcome or error. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Looks at jobs.",
        subcommands = JobsCommand.Show.class)
final class JobsCommand {

    /** {@code jobs show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Prints a job: state, worker, times, deliveries, a payload summary, and its",
                "return or error with the stack trace. Exits 1 when the fleet does not know the job."})
    static final class Show extends FleetCommand implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "the job id")
        String id;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            JobView view;
            try (Session session = open()) {
                Fleet fleet = session.holding(id);
                JobRecord record = fleet.job(id).orElse(null);
                if (record == null) {
                    err().println("jobs show: no job " + id + " in this fleet (never placed here, or its record was trimmed"
                            + " after PP_JOB_TTL or PP_KEEP_FINISHED)");
                    return 1;
                }
                view = new JobView(id, record, record.outcome() == null ? null : fleet.readOutcome(record.outcome()));
            }
            out().print(json ? JsonOutput.write(view.toMap()) + "\n" : view.render());
            return 0;
        }
    }
}
