package io.parametric.manager.internal;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;

/**
 * The manager's Redis fleet as the built-in {@code Threaded} backend reaches it. Not part of the
 * SPI: the manager's context implements it when the manager has a fleet, so a third-party backend
 * never depends on the internal {@link Fleet}.
 */
public interface FleetAccess {

    /** @return the fleet: shard 0 of a sharded one (its settings, pid counter and shared values) */
    Fleet fleet();

    /** @return the fleet's shards (one when it is not sharded) */
    FleetShards shards();

    /**
     * @return how many live workers each shard has, as the manager's cached membership knows
     *     them, index = shard (what placement across shards weighs by)
     */
    long[] liveWorkersPerShard();

    /** @return the URL (with credentials) workers use to reach the fleet's Redis */
    String redisUrl();

    /**
     * @return true when that Redis is the private redis-server this manager started and stops:
     *     it lives only as long as the manager, so its durability settings do not matter
     */
    boolean privateRedis();

    /**
     * Tells the manager that a keyed placement joined the queued or running job of its key
     * instead of placing a job of its own.
     *
     * @param placedJobId the id the placement was given
     * @param joinedJobId the id of the job it joined
     */
    void joined(String placedJobId, String joinedJobId);
}
