package io.parametric.shared.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points managers made in a test class at the tests' Redis, the way a user would: sets the
 * system property {@code pp.redis.url} to {@link TestRedis#url()} before the class's own
 * {@code @BeforeAll} methods and clears it after its {@code @AfterAll} methods.
 *
 * <pre>{@code
 * @ExtendWith(UsesTestRedis.class)
 * class MyIT { ... processes(4) ... }
 * }</pre>
 */
public final class UsesTestRedis implements BeforeAllCallback, AfterAllCallback {

    /** The property the manager reads its Redis URL from. */
    public static final String PROPERTY = "pp.redis.url";

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(PROPERTY, TestRedis.url());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(PROPERTY);
    }
}
