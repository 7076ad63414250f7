package io.parametric.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.redis.RedisUrl;
import io.parametric.shared.testing.TestRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs the README's demo command, {@code java -jar examples/target/parametric-examples.jar}. */
class DemoJarIT {

    private static final Path JAR = Path.of("target", "parametric-examples.jar");

    @Test
    void theShadedJarRunsTheDemoOnSpawnedWorkersFromItself() throws IOException, InterruptedException {
        String output = runDemo(Map.of("PP_REDIS_URL", TestRedis.url()), "demo-output.txt");
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

    @Test
    void onItsOwnPrivateRedisTheWorkersDoNotWarnAboutDurability() throws IOException, InterruptedException {
        String output = runDemo(Map.of(), "demo-private-output.txt");
        Assumptions.assumeTrue(output.contains("Redis: a private redis-server"),
                "a Redis answers on 127.0.0.1:6379 here, so the demo does not start its own:\n" + output);
        assertThat(output).contains("Done in").as("a Redis that ends with the demo needs no AOF").doesNotContain("appendonly");
    }

    /** Runs the jar with PP_REDIS_URL and PP_FLEET unset, then the given environment; returns its output. */
    private static String runDemo(Map<String, String> env, String outputName) throws IOException, InterruptedException {
        assertThat(JAR).as("built by the package phase").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // A file, not a pipe: nothing can block on a full pipe, and the output stays for a reader.
        Path outputFile = Path.of("target", outputName);
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        builder.environment().remove("PP_REDIS_URL");
        builder.environment().remove("PP_FLEET");
        builder.environment().putAll(env);
        Process demo = builder.start();
        boolean exited = demo.waitFor(3, TimeUnit.MINUTES);
        if (!exited) {
            demo.destroyForcibly();
        }
        String output = Files.readString(outputFile, StandardCharsets.UTF_8);
        assertThat(exited).as("the demo exited; it printed:%n%s", output).isTrue();
        assertThat(demo.exitValue()).as(output).isZero();
        return output;
    }
}
