package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A manager that joins workers it did not start — containers of {@code deploy/docker-compose.yml},
 * or standalone worker jars — and runs lambda jobs on them. The workers need this class (put
 * {@code examples/target/parametric-examples-<version>.jar} in {@code deploy/jobs/}) and admit its
 * package ({@code PP_ALLOW=io.parametric.examples}); this manager needs their fleet secret
 * ({@code PP_SECRET}, e.g. from {@code deploy/.env}).
 *
 * <pre>{@code
 * set -a; . deploy/.env; set +a
 * java -cp examples/target/parametric-examples.jar io.parametric.examples.ConnectExample
 * }</pre>
 */
public final class ConnectExample {

    private ConnectExample() {}

    /**
     * Connects to {@code PP_REDIS_URL} (default {@code redis://127.0.0.1:6379}), fleet
     * {@code PP_FLEET} (default {@code default}) with the fleet secret {@code PP_SECRET}, and prints
     * the squares of 1 to 5 computed there.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("PP_REDIS_URL", "redis://127.0.0.1:6379");
        String fleet = System.getenv().getOrDefault("PP_FLEET", "default");
        try (ProcessManager procs = connect(url, fleet)) {
            System.out.println("workers " + procs.workerPids() + " of fleet '" + fleet + "' returned " + squares(procs));
        }
    }

    /**
     * @param procs a manager with workers
     * @return the squares of 1 to 5, each computed by a lambda job on some worker
     */
    public static List<Object> squares(ProcessManager procs) {
        List<JobFuture<Object>> futures = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int n = i;
            futures.add(procs.submit(newJob(() -> n * n)));
        }
        return futures.stream().map(JobFuture::join).toList();
    }
}
