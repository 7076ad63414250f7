package io.parametric.worker;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Starts the worker's metrics endpoint when {@code PP_METRICS_PORT} is set. Micrometer is loaded
 * only then (it is bundled in {@code parametric-worker.jar}, not a dependency of the library), so
 * a worker without the variable never touches it.
 */
final class MetricsPort {

    /** The environment variable naming the port. */
    static final String VARIABLE = "PP_METRICS_PORT";

    private MetricsPort() {}

    /**
     * @param fleet the worker's fleet name (it tags the meters)
     * @param redisAnswers readiness: true while Redis answers
     * @param slots how many slots the process runs
     * @param busySlots how many of them run a job now
     * @return the endpoint observing the slots' jobs, or {@link JobObserver#NONE} when the variable is unset
     * @throws IllegalArgumentException when the variable is not a port number, or Micrometer is missing
     */
    static JobObserver startIfConfigured(String fleet, BooleanSupplier redisAnswers, int slots, IntSupplier busySlots) {
        String value = System.getenv(VARIABLE);
        if (value == null || value.isBlank()) {
            return JobObserver.NONE;
        }
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(VARIABLE + "=" + value + " is not a port number (0-65535)");
        }
        try {
            Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", false, MetricsPort.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(VARIABLE + " is set but Micrometer's Prometheus registry is not on this"
                    + " worker's classpath; run the standalone worker jar (parametric-worker.jar), which bundles it");
        }
        return PrometheusEndpoint.start(fleet, redisAnswers, slots, busySlots, port);
    }
}
