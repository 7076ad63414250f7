package io.parametric.shared.testing;

import io.parametric.shared.protocol.FleetSecret;
import java.util.Map;

/**
 * The one fleet secret of the tests: fleets made directly, managers that connect, and the worker
 * processes tests start all use it, so any of them can read what another signed.
 *
 * <pre>{@code
 * Fleet fleet = new Fleet(redis, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
 * ProcessManager procs = connect(TestRedis.url(), fleetName, TestSecret.VALUE);
 * TestSecret.passTo(processBuilder.environment());
 * }</pre>
 */
public final class TestSecret {

    /** The secret itself: fixed, so a failing test can be repeated by hand with {@code PP_SECRET}. */
    public static final String VALUE = "parametric-test-fleet-secret-0001";

    private static final FleetSecret SECRET = FleetSecret.of(VALUE);

    private TestSecret() {}

    /** @return the tests' fleet secret */
    public static FleetSecret secret() {
        return SECRET;
    }

    /**
     * Gives a worker or manager process the tests' secret, as an operator would.
     *
     * @param environment its environment, e.g. {@link ProcessBuilder#environment()}
     */
    public static void passTo(Map<String, String> environment) {
        SECRET.passTo(environment);
    }
}
