package io.parametric.cli;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.redis.Redis;

/**
 * A command's connection to its fleet; closing it closes the Redis connection.
 *
 * @param fleet the fleet
 * @param redis the connection the fleet uses
 */
record Session(Fleet fleet, Redis redis) implements AutoCloseable {

    @Override
    public void close() {
        redis.close();
    }
}
