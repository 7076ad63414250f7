package io.parametric.shared.testing;

import io.parametric.shared.redis.RedisUrl;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.redis.Redis;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The one place integration tests get their Redis from: the URL in {@code PP_TEST_REDIS_URL},
 * else a private {@code redis-server} on a free loopback port, else a Testcontainers Redis
 * container (image {@code PP_TEST_REDIS_IMAGE}, default {@code parametric/base:bookworm}) when
 * Docker is there. If none can be had, it fails saying how to get one. Tests isolate themselves
 * with their own fleet name ({@link #uniqueFleet}).
 */
public final class TestRedis {

    private static String url;
    private static LocalRedisServer server;

    private TestRedis() {}

    /**
     * @return the URL of a Redis that answers, started once per test JVM
     * @throws IllegalStateException when no Redis can be had, saying how to get one
     */
    public static synchronized String url() {
        if (url == null) {
            url = find();
        }
        return url;
    }

    /**
     * @return the private server this JVM started, for tests that stop and restart Redis
     * @throws IllegalStateException when Redis came from elsewhere
     */
    public static synchronized LocalRedisServer privateServer() {
        url();
        if (server == null) {
            throw new IllegalStateException("this test needs a private redis-server (unset PP_TEST_REDIS_URL, install redis-server)");
        }
        return server;
    }

    /**
     * @param test a name for the test
     * @return a fleet name used by no other test
     */
    public static String uniqueFleet(String test) {
        return test + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String find() {
        String configured = System.getenv("PP_TEST_REDIS_URL");
        if (configured != null && !configured.isBlank()) {
            try (Redis probe = new Redis(configured, 1)) {
                if (!probe.ping()) {
                    throw new IllegalStateException("PP_TEST_REDIS_URL=" + RedisUrl.redact(configured) + " does not answer PING");
                }
            }
            return configured;
        }
        if (LocalRedisServer.findExecutable().isPresent()) {
            server = LocalRedisServer.start(false);
            return server.url();
        }
        if (dockerAvailable()) {
            String image = System.getenv().getOrDefault("PP_TEST_REDIS_IMAGE", "parametric/base:bookworm");
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                    .withExposedPorts(6379)
                    .withCommand("redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no")
                    .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
        }
        throw new IllegalStateException("""
                These integration tests need a real Redis and none could be had. Any one of:
                  - set PP_TEST_REDIS_URL=redis://127.0.0.1:6379 to a Redis you run,
                  - install redis-server (Debian: apt-get install redis-server) so the tests start their own,
                  - start Docker with a local Redis image (PP_TEST_REDIS_IMAGE, default parametric/base:bookworm; see deploy/).""");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }
}
