package io.parametric.cli;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dashboard --port N}: serves the fleet's web dashboard until interrupted. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serves a live web page of the fleet: workers, queues, backlog, a jobs/s chart, recent",
            "failures with their stack traces and dead letters. Read-only unless --allow-actions, which",
            "prints a token once; actions (requeue dead letters, cancel a job, close a worker) need it."})
final class DashboardCommand extends FleetCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--allow-actions", description = "enable actions, each needing the token printed at start")
    boolean allowActions;

    @Override
    public Integer call() throws Exception {
        String token = allowActions ? newToken() : null;
        try (Session session = open();
             DashboardServer server = new DashboardServer(session, bind, port, token)) {
            out().println("dashboard of fleet '" + session.shards().fleet() + "' at " + server.address()
                    + (token == null ? " (read-only)" : ""));
            if (token != null) {
                out().println("actions token (shown once; send it as " + DashboardServer.TOKEN_HEADER + "): " + token);
            }
            out().flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
