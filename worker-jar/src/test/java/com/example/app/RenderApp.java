package com.example.app;

import static io.parametric.manager.ParametricProcesses.newJob;

import io.parametric.manager.ProcessManager;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/**
 * An application class as a new user writes one: the job lambdas beside the manager code that
 * places them. To verify this class the JVM loads the manager's {@code JobFuture} (returned as a
 * {@code CompletableFuture}), so a worker runs these lambdas only when it has the manager's classes.
 */
public final class RenderApp {

    private RenderApp() {}

    /**
     * @param procs the manager
     * @param name what to render
     * @param size its size
     * @return the job's future: {@code name@size}
     */
    public static CompletableFuture<Object> render(ProcessManager procs, String name, int size) {
        return procs.submit(newJob(() -> name + "@" + size));
    }

    /**
     * A job whose class refers to a test library no worker has: it cannot load there.
     *
     * @param procs the manager
     * @return the job's future, which fails naming the missing class
     */
    public static CompletableFuture<Object> checked(ProcessManager procs) {
        return procs.submit(newJob(Checks::size, "cat"));
    }

    /** Job code that uses AssertJ, which is on the manager's classpath only. */
    static final class Checks {

        private Checks() {}

        static int size(String name) {
            return name.length();
        }

        static AbstractAssert<?, ?> asserted(String name) {
            return Assertions.assertThat(name);
        }
    }
}
