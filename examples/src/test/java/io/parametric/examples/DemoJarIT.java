package io.parametric.examples;

import io.parametric.shared.redis.RedisUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.testing.TestRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the README's demo command, {@code java -jar examples/target/parametric-examples.jar}. */
class DemoJarIT {

    private static final Path JAR = Path.of("target", "parametric-examples.jar");

    @Test
    void theShadedJarRunsTheDemoOnSpawnedWorkersFromItself() throws IOException, InterruptedException {
        assertThat(JAR).as("built by the package phase").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // A file, not a pipe: nothing can block on a full pipe, and the output stays for a reader.
        Path outputFile = Path.of("target", "demo-output.txt");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        builder.environment().put("PP_REDIS_URL", TestRedis.url());
        builder.environment().remove("PP_FLEET");
        Process demo = builder.start();
        boolean exited = demo.waitFor(3, TimeUnit.MINUTES);
        if (!exited) {
            demo.destroyForcibly();
        }
        String output = Files.readString(outputFile, StandardCharsets.UTF_8);

        assertThat(exited).as("the demo exited; it printed:%n%s", output).isTrue();
        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("Redis: " + RedisUrl.redact(TestRedis.url()) + " (configured by PP_REDIS_URL)")
                .contains("Fleet: 4 Threaded workers ready")
                .contains("] 30/30 100%")
                .contains("30 of them ran")
                .contains("returned 55")
                .contains("x = 25")
                .contains("latest return")
                .contains("Done in");
    }
}
