package io.parametric.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Put on a container IT with {@code @ExtendWith} (class-level extensions run before the
 * {@link ContainerFleet} fields): checks Docker, the worker jar and the local images before any
 * container starts, failing with what to run — or, only on a machine without Docker that is not
 * CI, skipping loudly.
 */
final class RequiresDocker implements BeforeAllCallback {

    /** Checks what the container ITs need. */
    @Override
    public void beforeAll(ExtensionContext context) {
        ContainerSupport.requireDocker();
        ContainerSupport.requireInputs();
    }
}
