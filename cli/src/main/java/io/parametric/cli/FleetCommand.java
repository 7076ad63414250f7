package io.parametric.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the global options of {@link Main} and where to print. */
abstract class FleetCommand {

    @Spec
    CommandSpec spec;

    /** @return a connection to the fleet named by the global options */
    Session open() {
        return ((Main) spec.root().userObject()).fleet.open();
    }

    /** @return standard output */
    java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** @return standard error */
    java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
