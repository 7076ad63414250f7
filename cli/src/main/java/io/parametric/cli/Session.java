package io.parametric.cli;

import io.parametric.shared.protocol.Fleet;

/**
 * A command's connection to its fleet; closing it closes the Redis connection.
 *
 * @param fleet the fleet
 */
record Session(Fleet fleet) implements AutoCloseable {

    @Override
    public void close() {
        fleet.redis().close();
    }
}
