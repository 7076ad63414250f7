package io.parametric.worker;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Durations;
import io.parametric.shared.protocol.FleetSecret;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The standalone worker process: {@code java -jar parametric-worker.jar}, configured by the
 * {@code PP_*} environment variables, each overridden by its flag.
 *
 * <pre>{@code
 * PP_REDIS_URL=redis://redis:6379 PP_FLEET=render PP_SLOTS=4 PP_ALLOW=com.acme.jobs PP_SECRET_FILE=/run/secrets/pp \
 *     java -jar worker/target/parametric-worker.jar
 * PP_SECRET=... java -cp app.jar io.parametric.worker.WorkerMain --redis redis://127.0.0.1:6379 --fleet render --allow com.acme.jobs
 * }</pre>
 */
@Command(name = "parametric-worker", mixinStandardHelpOptions = true, sortOptions = false,
        abbreviateSynopsis = true, usageHelpWidth = 100, usageHelpAutoWidth = true,
        version = "parametric-worker 0.1",
        description = {"Runs ParametricProcesses worker slots against a Redis: each slot registers in the fleet, takes"
                + " jobs from its own queue and the fleet backlog, and runs them one at a time, in order.",
            "Each option can also be set by the PP_* environment variable in brackets; a flag wins over it.", "",
            "The fleet secret signs and checks every job and outcome; it is set only in the environment (a flag would show"
                + " in ps): PP_SECRET (at least 16 characters, the same on every worker and manager of the fleet), or"
                + " PP_SECRET_FILE naming a file that holds it; PP_SECRET_PREVIOUS is accepted too while rotating;"
                + " PP_INSECURE=1 runs without one (anyone who can write to the Redis can then run code here). See SECURITY.md.", ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:clean stop (SIGTERM, closed by its manager)", "1:a slot ended on an unexpected error",
            "2:bad settings", "3:out of memory under -XX:+ExitOnOutOfMemoryError (spawned workers, the image)",
            "70:a job ignored its timeout; restart the process",
            "71:out of memory, without that flag (the job's delivery was counted)", "75:a spawned worker was declared dead; its manager starts another",
            "78:the configuration must change: Redis refused the worker (password, ACL permission, key type), the worker"
                + " does not trust Redis's TLS certificate, or no usable fleet secret (PP_SECRET)"},
        footer = {"", "Example:",
            "  export PP_SECRET_FILE=/run/secrets/pp-secret",
            "  java -jar parametric-worker.jar --redis redis://127.0.0.1:6379 --allow com.example.jobs"})
public final class WorkerMain implements Callable<Integer> {

    @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:PP_REDIS_URL}",
            description = "Redis URL, redis://[user:password@]host:port[/db] (rediss:// for TLS), redis-cluster://host:port[,host:port...] or redis-sentinel://host:port[,host:port...]/<master> [PP_REDIS_URL]"
                    + " (required: a worker has no default Redis)")
    String redis;

    @Option(names = "--fleet", paramLabel = "NAME", defaultValue = "${env:PP_FLEET:-default}",
            description = "fleet name; keys are pp:{NAME}:... [PP_FLEET] (default: ${DEFAULT-VALUE})")
    String fleet;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "${env:PP_SLOTS:-1}",
            description = "workers in this process, each with its own pid and queue [PP_SLOTS] (default: ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--name", paramLabel = "PREFIX", defaultValue = "${env:PP_NAME}",
            description = "name prefix: slots are named PREFIX-<pid> [PP_NAME] (default: the host name)")
    String name;

    @Option(names = "--exact-name", paramLabel = "NAME",
            description = "the exact name of the only slot (with --slots 1)")
    String exactName;

    @Option(names = "--allow", paramLabel = "PREFIXES", defaultValue = "${env:PP_ALLOW}",
            description = "comma-separated package prefixes whose classes jobs may run; never * nor a JDK package [PP_ALLOW]"
                    + " (default: none, only registered job types)")
    String allow;

    @Option(names = "--jobs", paramLabel = "PATHS", defaultValue = "${env:PP_JOBS}",
            description = "extra jars or folders of job code, separated by ',' or the path separator [PP_JOBS]")
    String jobs;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "${env:PP_SHUTDOWN_TIMEOUT:-25s}",
            description = "how long SIGTERM waits for running jobs: 25s, 2m, 500ms or ISO-8601 [PP_SHUTDOWN_TIMEOUT] (default: ${DEFAULT-VALUE})")
    String shutdownTimeout;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "${env:PP_HEARTBEAT:-2s}",
            description = "heartbeat interval [PP_HEARTBEAT] (default: ${DEFAULT-VALUE})")
    String heartbeat;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "${env:PP_LEASE:-10s}",
            description = "a worker silent this long counts as dead [PP_LEASE] (default: ${DEFAULT-VALUE})")
    String lease;

    @Option(names = "--parent-pid", paramLabel = "OSPID",
            description = "exit, handing queued jobs back as on SIGTERM, when this OS process is gone")
    Long parentPid;

    @Option(names = "--backlog-limit", paramLabel = "N", defaultValue = "${env:PP_BACKLOG_LIMIT}",
            description = "set the fleet's backlog limit at start: placements past it wait, then fail QUEUE_FULL; 0 for no limit"
                    + " [PP_BACKLOG_LIMIT] (default: leave the fleet's setting)")
    Long backlogLimit;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "${env:PP_SHARDS}",
            description = "raise the fleet's shard count to N at start (it never falls); the process joins the shard whose"
                    + " backlog most needs workers [PP_SHARDS] (default: leave the fleet's count; 1 for a new fleet)")
    Integer shards;

    @Option(names = "--announce",
            description = "print 'PP_READY <pid> <name>' on stdout when each slot is registered")
    boolean announce;

    @Option(names = "--private-redis",
            description = "the Redis is the private redis-server of the manager that spawned this worker"
                    + " (set by that manager): no warning about its durability settings")
    boolean privateRedis;

    /**
     * Starts a worker process.
     *
     * @param args flags; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.setProperty("pp.worker", "true");
        ClassLoader loader = WorkerMain.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") == null
                && loader.getResource("logback.xml") == null && loader.getResource("logback-test.xml") == null) {
            // No logging set up by the application (the runnable jar, or an app without one): one
            // line per event on stderr, Jedis quiet — stdout stays free for PP_READY lines.
            System.setProperty("logback.configurationFile", "io/parametric/worker/logback-worker.xml");
        }
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** @return the command line of a new worker, with room for the long option names in {@code --help} */
    static CommandLine commandLine() {
        return new CommandLine(new WorkerMain()).setUsageHelpLongOptionsMaxWidth(28);
    }

    /**
     * Builds the settings and starts the slots.
     *
     * @return 0; the slot threads keep running
     */
    @Override
    public Integer call() {
        FleetSecret secret;
        try {
            secret = FleetSecret.required();
        } catch (ProcessError e) {
            System.err.println("parametric-worker: " + e.getMessage() + " (exit status " + FatalExit.NO_SECRET + ")");
            return FatalExit.NO_SECRET;
        }
        try {
            WorkerConfig config = config(secret);
            warnIfLoopbackInContainer(config.redisUrl());
            new Launcher(config, System.out).start();
            return 0;
        } catch (IllegalArgumentException | ProcessError e) {
            System.err.println("parametric-worker: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
    }

    /** Exit status for settings that cannot work (a bad flag value, a Redis URL that is not one). */
    static final int EXIT_USAGE = 2;

    WorkerConfig config(FleetSecret secret) {
        if (blank(redis)) {
            throw new IllegalArgumentException("no Redis URL: set PP_REDIS_URL or pass --redis, for example"
                    + " --redis redis://127.0.0.1:6379; a worker has no default Redis");
        }
        return new WorkerConfig(redis.trim(), fleet, secret, slots,
                blank(name) ? defaultName() : name.trim(),
                blank(exactName) ? null : exactName.trim(),
                split(allow, ","),
                split(jobs, ",|" + java.util.regex.Pattern.quote(java.io.File.pathSeparator)).stream().map(Path::of).toList(),
                Durations.parse(shutdownTimeout),
                Durations.parse(heartbeat),
                Durations.parse(lease),
                parentPid,
                announce,
                privateRedis,
                backlogLimit,
                shards);
    }

    /**
     * In a container, 127.0.0.1 is the container itself, not the machine running Docker: when
     * nothing listens at such a Redis URL, say so once at start (the worker then waits for it as
     * usual). Something that listens but refuses the worker (a password, a TLS certificate) is
     * not this case: the worker says what it refused.
     */
    private static void warnIfLoopbackInContainer(String url) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            return; // the Launcher reports a URL that is not one
        }
        String host = uri.getHost();
        boolean loopback = host != null && (host.startsWith("127.") || host.equals("localhost") || host.equals("[::1]"));
        boolean inContainer = java.nio.file.Files.exists(Path.of("/.dockerenv"))
                || java.nio.file.Files.exists(Path.of("/run/.containerenv")) || System.getenv("KUBERNETES_SERVICE_HOST") != null;
        if (!loopback || !inContainer) {
            return;
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host.replace("[", "").replace("]", ""),
                    uri.getPort() > 0 ? uri.getPort() : 6379), 2000);
        } catch (java.io.IOException e) {
            // Not a static logger: main() chooses the logging configuration before logging starts.
            LoggerFactory.getLogger(WorkerMain.class).warn("PP_REDIS_URL names {}, which in a container is the container itself, and nothing"
                    + " listens there: for a Redis on the Docker host run the container with --network host, or use"
                    + " redis://host.docker.internal:6379 with --add-host=host.docker.internal:host-gateway"
                    + " (deploy/README.md)", host);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> split(String s, String regex) {
        return blank(s) ? List.of() : Arrays.stream(s.split(regex)).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static String defaultName() {
        String env = System.getenv("HOSTNAME");
        if (!blank(env)) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker";
        }
    }

}
