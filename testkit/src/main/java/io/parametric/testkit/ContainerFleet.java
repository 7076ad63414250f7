package io.parametric.testkit;

import io.parametric.manager.ParametricProcesses;
import io.parametric.manager.ProcessManager;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * A JUnit 5 extension that runs a containerised fleet — a {@link RedisContainer} and N
 * {@link WorkerContainer}s on their own Docker network — and gives each test a
 * {@link ProcessManager} connected to it with {@link ParametricProcesses#connect}.
 *
 * <p>Register it as a {@code static} field to share one fleet by every test of the class (started
 * before the first test, stopped after the last), or as an instance field for a fresh fleet per
 * test. Tests get the manager, the extension itself or the Redis container as parameters.
 *
 * <pre>{@code
 * import static io.parametric.manager.ParametricProcesses.newJob;
 *
 * class RenderJobsIT {
 *
 *     @RegisterExtension
 *     static final ContainerFleet fleet = ContainerFleet.of("registry.example.com/parametric-worker:1.4")
 *             .withWorkers(3)
 *             .withSlots(2)
 *             .withJobs(Path.of("target/render-jobs.jar"));
 *
 *     @Test
 *     void rendersAFrameOnAWorkerContainer(ProcessManager procs) throws Exception {
 *         Object frame = procs.submit(newJob("render", "intro", 1)).get(30, TimeUnit.SECONDS);
 *         assertThat(frame).isEqualTo("intro#1");
 *     }
 *
 *     @Test
 *     void keepsServingWhenAWorkerContainerDies(ProcessManager procs) {
 *         fleet.workers().get(0).kill();
 *         WorkerContainer extra = fleet.addWorker();   // joins and takes work from the backlog
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Every container it starts it also stops (the fleet does not rely on Testcontainers' Ryuk).
 * Image names are plain strings, so locally built images work: on a machine that cannot pull,
 * {@code withRedisImage("parametric/base:bookworm")} runs Redis from the project's local base image.
 */
public final class ContainerFleet
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final DockerImageName workerImage;
    private final Future<String> workerImageBuild;
    private DockerImageName redisImage = RedisContainer.DEFAULT_IMAGE;
    private String fleetName = "it-" + UUID.randomUUID().toString().substring(0, 8);
    /** A fleet of its own, so a secret of its own, made as {@code processes(n)} makes one. */
    private final String secret = newSecret();
    private int workerCount = 1;
    private int slots = 1;
    private final List<Path> jobs = new ArrayList<>();
    private Consumer<WorkerContainer> workerCustomizer = w -> { };

    private Network network;
    private RedisContainer redis;
    private final List<WorkerContainer> workers = new CopyOnWriteArrayList<>();
    private ProcessManager manager;
    private boolean startedForOneTest;

    private ContainerFleet(DockerImageName workerImage, Future<String> workerImageBuild) {
        this.workerImage = workerImage;
        this.workerImageBuild = workerImageBuild;
    }

    /**
     * A fleet of worker containers of the given image (one worker with one slot until configured).
     *
     * @param workerImage an image built from {@code deploy/Dockerfile}, with your job code or not
     * @return the extension, to configure further
     */
    public static ContainerFleet of(String workerImage) {
        return of(DockerImageName.parse(workerImage));
    }

    /**
     * A fleet of worker containers of the given image.
     *
     * @param workerImage an image built from {@code deploy/Dockerfile}
     * @return the extension, to configure further
     */
    public static ContainerFleet of(DockerImageName workerImage) {
        return new ContainerFleet(Objects.requireNonNull(workerImage, "workerImage"), null);
    }

    /**
     * A fleet of worker containers of an image built when the fleet starts, for example your job
     * code layered on the worker image:
     * <pre>{@code
     * static final ContainerFleet fleet = ContainerFleet.of(new ImageFromDockerfile("acme/render-worker", false)
     *         .withDockerfileFromBuilder(b -> b.from("registry.example.com/parametric-worker:1.4")
     *                 .copy("render-jobs.jar", "/opt/parametric/jobs/").build())
     *         .withFileFromPath("render-jobs.jar", Path.of("target/render-jobs.jar")));
     * }</pre>
     *
     * @param workerImage the image being built (built once, shared by every worker container)
     * @return the extension, to configure further
     */
    public static ContainerFleet of(Future<String> workerImage) {
        return new ContainerFleet(null, Objects.requireNonNull(workerImage, "workerImage"));
    }

    /**
     * Sets the Redis image (default {@link RedisContainer#DEFAULT_IMAGE}).
     *
     * @param image any image with {@code redis-server} on its PATH
     * @return this extension
     */
    public ContainerFleet withRedisImage(String image) {
        this.redisImage = DockerImageName.parse(image);
        return this;
    }

    /**
     * Sets how many worker containers start with the fleet (default 1).
     *
     * @param count at least 0
     * @return this extension
     * @throws IllegalArgumentException when count is negative
     */
    public ContainerFleet withWorkers(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("worker container count must be 0 or more, was " + count);
        }
        this.workerCount = count;
        return this;
    }

    /**
     * Sets how many workers (slots) each container runs (default 1).
     *
     * @param slots at least 1
     * @return this extension
     */
    public ContainerFleet withSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        }
        this.slots = slots;
        return this;
    }

    /**
     * Adds job code (jars or class folders) to every worker container, see {@link WorkerContainer#withJobs}.
     *
     * @param paths jars or class folders on the host
     * @return this extension
     */
    public ContainerFleet withJobs(Path... paths) {
        jobs.addAll(List.of(paths));
        return this;
    }

    /**
     * Sets the fleet name (default {@code it-<random>}, so fleets of different tests never mix).
     *
     * @param fleetName letters, digits, '.', '_' or '-'
     * @return this extension
     */
    public ContainerFleet withFleetName(String fleetName) {
        this.fleetName = Objects.requireNonNull(fleetName, "fleetName");
        return this;
    }

    /**
     * Applies further settings to every worker container before it starts (environment, log
     * consumers, a shutdown timeout...).
     *
     * @param customizer called with each new worker container
     * @return this extension
     */
    public ContainerFleet withWorkerCustomizer(Consumer<WorkerContainer> customizer) {
        this.workerCustomizer = Objects.requireNonNull(customizer, "customizer");
        return this;
    }

    /**
     * The fleet secret this fleet generated for its workers and manager: for a second manager,
     * {@code connect(fleet.redis().redisUrl(), fleet.fleetName(), fleet.secret())}.
     *
     * @return the secret
     */
    public String secret() {
        return secret;
    }

    /** @return the manager connected to the fleet; valid while the fleet runs */
    public ProcessManager manager() {
        requireRunning();
        return manager;
    }

    /** @return the Redis container; valid while the fleet runs */
    public RedisContainer redis() {
        requireRunning();
        return redis;
    }

    /** @return the worker containers started so far, in start order (killed and stopped ones included) */
    public List<WorkerContainer> workers() {
        return Collections.unmodifiableList(workers);
    }

    /** @return the fleet name the workers join */
    public String fleetName() {
        return fleetName;
    }

    /**
     * Starts one more worker container in the running fleet; it returns when the container's
     * workers are registered (they take from the fleet backlog at once). It is stopped with the fleet.
     *
     * @return the new container
     */
    public WorkerContainer addWorker() {
        requireRunning();
        WorkerContainer worker = newWorker();
        workers.add(worker);
        worker.start();
        return worker;
    }

    /**
     * Starts Redis, the worker containers and the manager. Called by JUnit; call it yourself only
     * when using the fleet outside JUnit.
     */
    public void start() {
        if (manager != null) {
            return;
        }
        try {
            network = Network.newNetwork();
            redis = new RedisContainer(redisImage).withNetwork(network);
            redis.start();
            for (int i = 0; i < workerCount; i++) {
                workers.add(newWorker());
            }
            // Parallel start: each container's JVM start-up dominates, and they do not depend on each other.
            workers.parallelStream().forEach(WorkerContainer::start);
            manager = ParametricProcesses.connect(redis.redisUrl(), fleetName, secret);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Closes the manager and stops every container and the network. Safe to call twice. */
    public void stop() {
        RuntimeException failure = null;
        if (manager != null) {
            try {
                manager.close();
            } catch (RuntimeException e) {
                failure = e;
            }
            manager = null;
        }
        for (WorkerContainer worker : workers) {
            worker.stop();
        }
        workers.clear();
        if (redis != null) {
            redis.stop();
            redis = null;
        }
        if (network != null) {
            network.close();
            network = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private WorkerContainer newWorker() {
        WorkerContainer worker = (workerImage != null ? new WorkerContainer(workerImage) : new WorkerContainer(workerImageBuild))
                .withRedis(redis)
                .withFleet(fleetName)
                .withSecret(secret)
                .withSlots(slots);
        if (!jobs.isEmpty()) {
            worker.withJobs(jobs.toArray(Path[]::new));
        }
        workerCustomizer.accept(worker);
        return worker;
    }

    /** @return 32 random bytes as base64url: the testkit's API does not reach the library's internals */
    private static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void requireRunning() {
        if (manager == null) {
            throw new IllegalStateException("the container fleet is not running: register it with"
                    + " @RegisterExtension (static for one fleet per class) or call start() first");
        }
    }

    /** Starts the fleet shared by every test of the class. */
    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    /** Stops the fleet shared by the class. */
    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts a fleet for this test when none runs (the extension is an instance field). */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (manager == null) {
            startedForOneTest = true;
            start();
        }
    }

    /** Stops the fleet started for this test. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (startedForOneTest) {
            startedForOneTest = false;
            stop();
        }
    }

    /** Resolves {@link ProcessManager}, {@link ContainerFleet} and {@link RedisContainer} parameters. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ProcessManager.class || type == ContainerFleet.class || type == RedisContainer.class;
    }

    /** Returns the running fleet's manager, the extension itself, or its Redis container. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == ContainerFleet.class) {
            return this;
        }
        if (manager == null) {
            throw new ParameterResolutionException("the container fleet is not running yet; "
                    + type.getSimpleName() + " parameters are available in tests and @BeforeEach methods");
        }
        return type == ProcessManager.class ? manager : redis;
    }
}
