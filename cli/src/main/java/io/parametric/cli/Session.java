package io.parametric.cli;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.redis.Redis;

/**
 * A command's connection to its fleet; closing it closes the Redis connection.
 *
 * @param shards the fleet's shards (one unless it is sharded), its count read when opened
 * @param redis the connection the fleet uses
 */
record Session(FleetShards shards, Redis redis) implements AutoCloseable {

    /**
     * @param jobId a job
     * @return the shard that holds it, shard 0 when none does
     */
    Fleet holding(String jobId) {
        return shards.count() == 1 ? shards.base() : shards.holding(jobId).orElse(shards.base());
    }

    @Override
    public void close() {
        redis.close();
    }
}
