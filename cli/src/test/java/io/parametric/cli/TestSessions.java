package io.parametric.cli;

import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;

/** Sessions on the test Redis, as the CLI opens them. */
final class TestSessions {

    private TestSessions() {
    }

    /**
     * @param fleet a fleet name
     * @return a session on that fleet with the test secret, its shard count read; close it
     */
    static Session open(String fleet) {
        Redis redis = new Redis(TestRedis.url(), 4);
        FleetShards shards = new FleetShards(redis, fleet, TestSecret.secret(), Duration.ofHours(1));
        shards.refresh();
        return new Session(shards, redis);
    }
}
