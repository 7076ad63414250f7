package io.parametric.worker;

import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.FleetShards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one worker process, from {@code PP_*} environment variables and flags.
 *
 * @param redisUrl the Redis URL ({@code PP_REDIS_URL})
 * @param fleet the fleet name ({@code PP_FLEET}, default {@code default})
 * @param secret the fleet secret ({@code PP_SECRET}, {@code PP_SECRET_FILE}, {@code PP_SECRET_PREVIOUS},
 *     {@code PP_INSECURE}; never a flag, which any local user could read)
 * @param slots workers in this process, each with its own pid and queue ({@code PP_SLOTS}, default 1)
 * @param namePrefix slots are named {@code <prefix>-<pid>} ({@code PP_NAME}, default the host name)
 * @param exactName the exact name of the only slot, or null
 * @param allow package prefixes whose classes jobs may run ({@code PP_ALLOW}; never {@code *})
 * @param jobs extra jars or folders of job code ({@code PP_JOBS})
 * @param shutdownTimeout how long SIGTERM waits for running jobs ({@code PP_SHUTDOWN_TIMEOUT}, default 25 s)
 * @param heartbeat heartbeat interval ({@code PP_HEARTBEAT}, default 2 s)
 * @param lease how long without a heartbeat before a worker counts as dead ({@code PP_LEASE}, default 10 s)
 * @param parentPid an OS process whose end makes this worker exit like on SIGTERM, or null
 * @param announce print {@code PP_READY <pid> <name>} on stdout when each slot is registered
 * @param privateRedis the Redis is the private redis-server of the manager that spawned this
 *        worker (it lives only as long as that manager): no warning about its durability settings
 * @param backlogLimit the fleet's backlog limit to set at start ({@code PP_BACKLOG_LIMIT}; 0 for no
 *     limit), or null to leave the fleet's setting as it is
 * @param shards the fleet's shard count to raise to at start ({@code PP_SHARDS}), or null to
 *     leave it; the process joins the shard whose backlog most needs workers
 */
public record WorkerConfig(
        String redisUrl,
        String fleet,
        FleetSecret secret,
        int slots,
        String namePrefix,
        String exactName,
        List<String> allow,
        List<Path> jobs,
        Duration shutdownTimeout,
        Duration heartbeat,
        Duration lease,
        Long parentPid,
        boolean announce,
        boolean privateRedis,
        Long backlogLimit,
        Integer shards) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the setting that is wrong and how to fix it
     */
    public WorkerConfig {
        if (slots < 1) {
            throw new IllegalArgumentException("slots (--slots / PP_SLOTS) must be at least 1, got " + slots);
        }
        if (exactName != null && slots != 1) {
            throw new IllegalArgumentException("--exact-name names a single slot; use it with --slots 1");
        }
        if (fleet == null || !fleet.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("fleet (--fleet / PP_FLEET) '" + fleet + "' must be letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(secret, "secret (PP_SECRET)");
        positive(shutdownTimeout, "shutdown timeout (--shutdown-timeout / PP_SHUTDOWN_TIMEOUT)");
        positive(heartbeat, "heartbeat (--heartbeat / PP_HEARTBEAT)");
        positive(lease, "lease (--lease / PP_LEASE)");
        if (backlogLimit != null && backlogLimit < 0) {
            throw new IllegalArgumentException("backlog limit (--backlog-limit / PP_BACKLOG_LIMIT) must be 0 (no limit) or more, got "
                    + backlogLimit);
        }
        if (shards != null && (shards < 1 || shards > FleetShards.MAX)) {
            throw new IllegalArgumentException("shards (--shards / PP_SHARDS) must be 1 to " + FleetShards.MAX + ", got " + shards);
        }
        allow = List.copyOf(allow);
        jobs = List.copyOf(jobs);
    }

    private static void positive(Duration d, String setting) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, got " + d.toMillis() + " ms");
        }
    }
}
