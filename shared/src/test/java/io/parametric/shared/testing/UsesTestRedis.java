package io.parametric.shared.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points managers made in a test class at the tests' Redis and gives them the tests' fleet
 * secret, the way a user would: sets the system properties {@code pp.redis.url} to
 * {@link TestRedis#url()} and {@code pp.secret} to {@link TestSecret#VALUE} before the class's own
 * {@code @BeforeAll} methods and clears them after its {@code @AfterAll} methods.
 *
 * <pre>{@code
 * @ExtendWith(UsesTestRedis.class)
 * class MyIT { ... processes(4) ... }
 * }</pre>
 */
public final class UsesTestRedis implements BeforeAllCallback, AfterAllCallback {

    /** The property the manager reads its Redis URL from. */
    public static final String PROPERTY = "pp.redis.url";

    /** The property the manager reads its fleet secret from. */
    public static final String SECRET_PROPERTY = "pp.secret";

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(PROPERTY, TestRedis.url());
        System.setProperty(SECRET_PROPERTY, TestSecret.VALUE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(PROPERTY);
        System.clearProperty(SECRET_PROPERTY);
    }
}
