package io.parametric.cli;

import io.parametric.shared.ProcessError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar parametric-cli.jar}: looks at a running fleet. Every subcommand takes the
 * global {@code --redis}/{@code --fleet} options (defaults {@code PP_REDIS_URL}, {@code PP_FLEET}).
 */
@Command(name = "parametric-cli", mixinStandardHelpOptions = true, version = "parametric-cli 0.1",
        description = "Looks at a ParametricProcesses fleet: its workers, queues, jobs and dead letters.",
        subcommands = {StatusCommand.class, TopCommand.class, JobsCommand.class, DeadCommand.class,
            WaitCommand.class, ShardsCommand.class, DashboardCommand.class, BenchCommand.class},
        footer = {"", "The fleet secret (PP_SECRET, or PP_SECRET_FILE naming a file holding it) is read as a manager",
            "reads it: status, top, jobs, dead and wait only read, or move entries as they are, and need none;",
            "bench places jobs with it, or with a random one for its own fleets. See SECURITY.md."})
public final class Main {

    /** Exit status when Redis does not answer or a request is wrong. */
    static final int FAILED = 2;

    @CommandLine.Mixin
    FleetOptions fleet;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs one command line without exiting, for tests and embedding.
     *
     * @param args the command line
     * @return the exit status
     */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs one command line, printing to the given writers.
     *
     * @param out standard output
     * @param err standard error
     * @param args the command line
     * @return the exit status
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + describe(e));
            return FAILED;
        });
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static String describe(Exception e) {
        if (e instanceof ProcessError pe) {
            return pe.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
