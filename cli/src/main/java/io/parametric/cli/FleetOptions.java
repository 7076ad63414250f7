package io.parametric.cli;

import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.Limits;
import io.parametric.shared.redis.Redis;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The global options: which Redis and which fleet. Accepted before or after the subcommand.
 */
public final class FleetOptions {

    @Option(names = "--redis", paramLabel = "URL", scope = ScopeType.INHERIT,
            defaultValue = "${env:PP_REDIS_URL:-redis://127.0.0.1:6379}",
            description = "Redis URL, redis://[user:password@]host:port[/db] (rediss:// for TLS), redis-cluster://host:port[,...] or redis-sentinel://host:port[,...]/<master> [PP_REDIS_URL] (default: ${DEFAULT-VALUE})")
    String redis;

    @Option(names = "--fleet", paramLabel = "NAME", scope = ScopeType.INHERIT,
            defaultValue = "${env:PP_FLEET:-default}",
            description = "fleet name [PP_FLEET] (default: ${DEFAULT-VALUE})")
    String fleet;

    /**
     * Connects to the fleet. Nothing is written to Redis by opening it. The fleet secret is read
     * as a manager reads it ({@code PP_SECRET}, {@code PP_SECRET_FILE}): these commands only read
     * and move entries as they are, so without one they show what Redis holds, unchecked.
     *
     * @return the fleet; close its Redis when done
     * @throws io.parametric.shared.ProcessError REDIS_UNAVAILABLE when Redis does not answer;
     *     NOT_ALLOWED when a secret is set that cannot be used
     */
    Session open() {
        FleetSecret secret = FleetSecret.configured().orElseGet(FleetSecret::insecure);
        Redis connection = new Redis(redis, 4);
        try {
            if (!connection.ping()) {
                throw new io.parametric.shared.ProcessError(io.parametric.shared.ProcessError.Reason.REDIS_UNAVAILABLE,
                        "Redis at " + connection.url() + " does not answer; check --redis / PP_REDIS_URL");
            }
            FleetShards shards = new FleetShards(connection, fleet, secret, Limits.jobTtl());
            shards.refresh();
            return new Session(shards, connection);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
