package io.parametric.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * What the container ITs need from the machine: a Docker engine, the worker image built from
 * {@code deploy/Dockerfile} around the jar this build made, and the images' names.
 */
final class ContainerSupport {

    /** Tag of the worker image the ITs build; kept between runs so Docker's layer cache applies. */
    static final String WORKER_IMAGE = "parametric/worker:it";

    private static Future<String> workerImage;

    private ContainerSupport() {}

    /**
     * Fails with the reason when Docker is installed but does not answer. Skips, loudly, only
     * when this machine has no Docker at all and is not CI (where .ci/run installs it), or when
     * .ci/run could not make Docker and the base image ready ({@code PP_DOCKER_UNAVAILABLE} holds
     * why): one broken Docker install must not hide the results of every other suite.
     */
    static void requireDocker() {
        String unavailable = System.getenv("PP_DOCKER_UNAVAILABLE");
        if (unavailable != null && !unavailable.isBlank()) {
            String banner = "\n*** CONTAINER ITs SKIPPED: " + unavailable + " ***\n";
            System.err.println(banner);
            Assumptions.abort(banner.trim());
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return;
        }
        boolean installed = Files.exists(Path.of("/var/run/docker.sock"))
                || Files.isExecutable(Path.of("/usr/bin/docker"))
                || Files.isExecutable(Path.of("/usr/local/bin/docker"))
                || System.getenv("DOCKER_HOST") != null;
        boolean ci = System.getenv("CI") != null;
        if (!installed && !ci) {
            String banner = "\n*** CONTAINER ITs SKIPPED: no Docker on this machine. Install and start it with"
                    + " `bash deploy/ci-docker.sh` (as root, Debian) to run them. ***\n";
            System.err.println(banner);
            Assumptions.abort(banner.trim());
        }
        throw new IllegalStateException("Docker is " + (installed ? "installed but does not answer" : "missing")
                + " (CI=" + System.getenv("CI") + "); the container ITs need it. Start it with"
                + " `bash deploy/ci-docker.sh` (installs docker.io, starts dockerd, builds the base image)."
                + " Testcontainers needs TESTCONTAINERS_RYUK_DISABLED=true and TESTCONTAINERS_HOST_OVERRIDE=localhost"
                + " here (set by the failsafe configuration).");
    }

    /** @return the image the Redis containers use (system property {@code pp.it.redisImage}) */
    static String redisImage() {
        return System.getProperty("pp.it.redisImage", "parametric/base:bookworm");
    }

    /**
     * The worker image built from {@code deploy/Dockerfile} on the base image of
     * {@code pp.it.baseImage}, with only the files the Dockerfile copies in its context. Nothing
     * is built until a container first needs it; the build then happens once per test JVM.
     *
     * @return the image being built, as Testcontainers' containers take it
     */
    static synchronized Future<String> workerImage() {
        if (workerImage == null) {
            workerImage = new ImageFromDockerfile(WORKER_IMAGE, false)
                    .withFileFromPath("deploy/Dockerfile", dockerfile())
                    .withFileFromPath("deploy/docker/pp-probe", dockerfile().resolveSibling("docker/pp-probe"))
                    .withFileFromPath("worker/target/parametric-worker.jar", workerJar())
                    .withDockerfilePath("deploy/Dockerfile")
                    .withBuildArg("BASE_IMAGE", baseImage());
        }
        return workerImage;
    }

    /**
     * Fails, saying what to run, when the worker jar or a local image the ITs need is missing.
     */
    static void requireInputs() {
        if (!Files.isRegularFile(workerJar())) {
            throw new IllegalStateException("the runnable worker jar " + workerJar().toAbsolutePath() + " is missing;"
                    + " build it in the same reactor run: `mvn verify` (or `mvn -pl testkit -am verify`),"
                    + " which packages worker before testkit");
        }
        for (String image : List.of(baseImage(), redisImage())) {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            } catch (NotFoundException e) {
                throw new IllegalStateException("image " + image + " is not on this Docker engine and cannot be pulled"
                        + " here; build it with `deploy/base-image.sh " + image + "` (or `bash deploy/ci-docker.sh`),"
                        + " or point -Dpp.it.baseImage / -Dpp.it.redisImage at images you have");
            }
        }
    }

    private static String baseImage() {
        return System.getProperty("pp.it.baseImage", "parametric/base:bookworm");
    }

    private static Path dockerfile() {
        return Path.of(System.getProperty("pp.it.dockerfile", "../deploy/Dockerfile"));
    }

    private static Path workerJar() {
        return Path.of(System.getProperty("pp.it.workerJar", "../worker/target/parametric-worker.jar"));
    }
}
