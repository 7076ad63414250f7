package io.parametric.testkit;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis server in a container, configured the way a fleet needs it: AOF on and
 * {@code maxmemory-policy noeviction}. It answers the host on {@link #redisUrl()} (the mapped port)
 * and containers on the same network on {@link #internalUrl()} (its network alias).
 *
 * <pre>{@code
 * try (Network network = Network.newNetwork();
 *      RedisContainer redis = new RedisContainer().withNetwork(network)) {
 *     redis.start();
 *     ProcessManager fleet = ParametricProcesses.connect(redis.redisUrl(), "render");
 * }
 * }</pre>
 *
 * <p>Any image whose {@code redis-server} is on the PATH works: the official {@code redis} images
 * (the default, pinned) or a local one such as {@code parametric/base:bookworm} on machines that
 * cannot pull. The container is started with the command {@code redis-server ...}, so an image's
 * own command does not matter.
 */
public class RedisContainer extends GenericContainer<RedisContainer> {

    /** The image used when none is given: a pinned public Redis release. */
    public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse("redis:7.4.2");

    /** The port Redis listens on inside the container. */
    public static final int REDIS_PORT = 6379;

    /** The network alias worker containers reach Redis by, unless changed with {@link #withAlias}. */
    public static final String DEFAULT_ALIAS = "redis";

    private String alias = DEFAULT_ALIAS;

    /** A Redis container of {@link #DEFAULT_IMAGE}. */
    public RedisContainer() {
        this(DEFAULT_IMAGE);
    }

    /**
     * A Redis container of the given image.
     *
     * @param image an image name, for example {@code redis:7.4.2} or {@code parametric/base:bookworm}
     */
    public RedisContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /**
     * A Redis container of the given image.
     *
     * @param image an image with {@code redis-server} on its PATH
     */
    public RedisContainer(DockerImageName image) {
        super(image);
        withExposedPorts(REDIS_PORT);
        // --dir /tmp: writable in every image (the official one runs as user redis, a plain
        // Debian image as root); protected-mode off because the server has no password and must
        // answer other containers.
        withCommand(
                "redis-server",
                "--dir", "/tmp",
                "--protected-mode", "no",
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", "",
                "--maxmemory-policy", "noeviction");
        withNetworkAliases(alias);
        waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)
                .withStartupTimeout(Duration.ofSeconds(60)));
    }

    /**
     * Sets the network alias other containers use for this Redis (default {@value #DEFAULT_ALIAS}).
     *
     * @param alias a host name
     * @return this container
     */
    public RedisContainer withAlias(String alias) {
        this.alias = alias;
        setNetworkAliases(new java.util.ArrayList<>(java.util.List.of(alias)));
        return self();
    }

    /** @return the alias other containers on the same network reach this Redis by */
    public String alias() {
        return alias;
    }

    /**
     * The URL a manager or test on the host uses.
     *
     * @return {@code redis://<host>:<mapped port>}
     * @throws IllegalStateException when the container is not running
     */
    public String redisUrl() {
        return "redis://" + getHost() + ":" + getMappedPort(REDIS_PORT);
    }

    /**
     * The URL containers on the same network use, for example {@link WorkerContainer}.
     *
     * @return {@code redis://<alias>:6379}
     */
    public String internalUrl() {
        return "redis://" + alias + ":" + REDIS_PORT;
    }
}
