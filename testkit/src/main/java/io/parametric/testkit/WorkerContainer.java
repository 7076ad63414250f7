package io.parametric.testkit;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A ParametricProcesses worker container: the worker image of your choice (built from the
 * project's {@code deploy/Dockerfile}, usually with your job jars added) joining a given Redis and
 * fleet. {@link #start()} returns once every slot has registered in the fleet.
 *
 * <pre>{@code
 * try (Network network = Network.newNetwork();
 *      RedisContainer redis = new RedisContainer().withNetwork(network);
 *      WorkerContainer worker = new WorkerContainer("registry.example.com/parametric-worker:1.4")
 *              .withRedis(redis)
 *              .withFleet("render")
 *              .withSecret(secret)                      // the fleet secret, at least 16 characters
 *              .withSlots(2)
 *              .withJobs(Path.of("target/render-jobs.jar"))) {
 *     redis.start();
 *     worker.start();
 *     try (ProcessManager fleet = ParametricProcesses.connect(redis.redisUrl(), "render", secret)) {
 *         Object frame = fleet.submit(newJob("render", "intro", 1)).get();
 *     }
 * }
 * }</pre>
 *
 * <p>Configuration travels as the worker's {@code PP_*} environment variables (a worker without
 * a fleet secret exits with status 78 at once: give it one with {@link #withSecret}); the container is
 * started with {@code --announce} so the worker prints {@code PP_READY <pid> <name>} per slot,
 * which is both the wait strategy and how {@link #workerPids()} learns the slots' pids.
 */
public class WorkerContainer extends GenericContainer<WorkerContainer> {

    /** Where {@link #withJobs} puts job code inside the container. */
    public static final String JOBS_DIR = "/opt/parametric/jobs";

    private static final Pattern READY = Pattern.compile("(?m)^PP_READY (\\d+) (\\S+)\\s*$");
    private static final String READY_LOG_LINE = ".*PP_READY \\d+ .*\\n";

    private final List<String> jobPaths = new ArrayList<>();
    private int slots = 1;
    private String fleet = "default";

    /**
     * A worker container of the given image.
     *
     * @param image an image built from {@code deploy/Dockerfile} (or one with the same entry point)
     */
    public WorkerContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /**
     * A worker container of the given image.
     *
     * @param image an image built from {@code deploy/Dockerfile} (or one with the same entry point)
     */
    public WorkerContainer(DockerImageName image) {
        super(image);
        withFleet(fleet);
        withSlots(slots);
        withCommand("--announce");
    }

    /**
     * A worker container of an image built while the test runs, for example Testcontainers'
     * {@code ImageFromDockerfile}.
     *
     * @param image the image being built
     */
    public WorkerContainer(Future<String> image) {
        super(image);
        withFleet(fleet);
        withSlots(slots);
        withCommand("--announce");
    }

    /**
     * Joins the given Redis container: same network, {@code PP_REDIS_URL} set to its network alias,
     * started after it.
     *
     * @param redis a Redis container that has a network ({@code withNetwork})
     * @return this container
     * @throws IllegalStateException when the Redis container has no network
     */
    public WorkerContainer withRedis(RedisContainer redis) {
        Network network = redis.getNetwork();
        if (network == null) {
            throw new IllegalStateException(
                    "the Redis container has no network, so a worker container cannot reach it by name;"
                            + " create one with Network.newNetwork() and call redis.withNetwork(network)"
                            + " before worker.withRedis(redis)");
        }
        withNetwork(network);
        dependsOn(redis);
        return withRedisUrl(redis.internalUrl());
    }

    /**
     * Joins a Redis the container can reach at this URL (instead of {@link #withRedis}).
     *
     * @param url {@code redis://[user:password@]host:port} or {@code rediss://...}
     * @return this container
     */
    public WorkerContainer withRedisUrl(String url) {
        return withEnv("PP_REDIS_URL", Objects.requireNonNull(url, "url"));
    }

    /**
     * Sets the fleet the worker joins (default {@code default}).
     *
     * @param fleet the fleet name
     * @return this container
     */
    public WorkerContainer withFleet(String fleet) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        return withEnv("PP_FLEET", fleet);
    }

    /**
     * Sets the fleet secret ({@code PP_SECRET}, in the container's environment) that signs and
     * checks the fleet's jobs and outcomes: the same string the managers use.
     *
     * @param secret at least 16 characters, e.g. the output of {@code openssl rand -base64 32}
     * @return this container
     */
    public WorkerContainer withSecret(String secret) {
        return withEnv("PP_SECRET", Objects.requireNonNull(secret, "secret"));
    }

    /**
     * Sets how many workers (slots) this container runs, each with its own pid and queue.
     *
     * @param slots at least 1
     * @return this container
     * @throws IllegalArgumentException when slots is below 1
     */
    public WorkerContainer withSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        }
        this.slots = slots;
        withEnv("PP_SLOTS", Integer.toString(slots));
        return waitingFor(Wait.forLogMessage(READY_LOG_LINE, slots)
                .withStartupTimeout(Duration.ofSeconds(90)));
    }

    /**
     * Copies job code into the container ({@value #JOBS_DIR}) and lists it in {@code PP_JOBS}, so
     * the worker registers the job types the jars declare through {@code ServiceLoader}.
     *
     * @param paths jars or class folders on the host
     * @return this container
     * @throws IllegalArgumentException when a path does not exist
     */
    public WorkerContainer withJobs(Path... paths) {
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("job code " + path.toAbsolutePath() + " does not exist;"
                        + " build it before starting the worker container");
            }
            String target = JOBS_DIR + "/" + path.getFileName();
            withCopyFileToContainer(MountableFile.forHostPath(path), target);
            jobPaths.add(target);
        }
        return withEnv("PP_JOBS", String.join(",", jobPaths));
    }

    /**
     * Sets the prefix of the slots' names ({@code <prefix>-<pid>}; default the container's host name).
     *
     * @param prefix the name prefix
     * @return this container
     */
    public WorkerContainer withWorkerName(String prefix) {
        return withEnv("PP_NAME", prefix);
    }

    /**
     * Sets the package prefixes whose classes lambdas and records may run from.
     *
     * @param prefixes package prefixes such as {@code com.acme.jobs}
     * @return this container
     */
    public WorkerContainer withAllow(String... prefixes) {
        return withEnv("PP_ALLOW", String.join(",", prefixes));
    }

    /**
     * Sets how long a stopping worker lets its running job finish before it hands it back.
     *
     * @param timeout the shutdown timeout
     * @return this container
     */
    public WorkerContainer withShutdownTimeout(Duration timeout) {
        return withEnv("PP_SHUTDOWN_TIMEOUT", timeout.toString());
    }

    /** @return the fleet this container's workers join */
    public String fleet() {
        return fleet;
    }

    /** @return the number of workers (slots) this container runs */
    public int slots() {
        return slots;
    }

    /**
     * The fleet pids of this container's workers, read from their {@code PP_READY} lines.
     *
     * @return the pids, ascending
     */
    public List<Long> workerPids() {
        Matcher m = READY.matcher(getLogs());
        List<Long> pids = new ArrayList<>();
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        pids.sort(null);
        return pids;
    }

    /**
     * Docker's view of the image's {@code HEALTHCHECK} (the worker's heartbeat is recent).
     *
     * @return {@code starting}, {@code healthy} or {@code unhealthy}; {@code none} for an image without a health check
     */
    public String healthStatus() {
        InspectContainerResponse.ContainerState state =
                getDockerClient().inspectContainerCmd(getContainerId()).exec().getState();
        return state.getHealth() == null ? "none" : state.getHealth().getStatus();
    }

    /**
     * Kills the worker process at once ({@code docker kill}, SIGKILL): no hand-back, no
     * deregistration, as when a machine dies. The fleet's reaper recovers its jobs once its lease
     * expires. The container is not removed; {@link #stop()} still cleans it up.
     */
    public void kill() {
        getDockerClient().killContainerCmd(getContainerId()).exec();
    }

    /**
     * Stops the worker the way an orchestrator does ({@code docker stop}): SIGTERM, then SIGKILL
     * after the grace period. The worker finishes its running job, hands queued jobs back to the
     * fleet backlog and exits. The container is not removed; {@link #stop()} still cleans it up.
     *
     * @param gracePeriod how long Docker waits before SIGKILL (whole seconds)
     * @return the worker process's exit status (0 after a clean shutdown)
     */
    public long stopGracefully(Duration gracePeriod) {
        getDockerClient().stopContainerCmd(getContainerId())
                .withTimeout((int) Math.max(1, gracePeriod.toSeconds()))
                .exec();
        InspectContainerResponse.ContainerState state =
                getDockerClient().inspectContainerCmd(getContainerId()).exec().getState();
        Long code = state.getExitCodeLong();
        return code == null ? -1 : code;
    }
}
