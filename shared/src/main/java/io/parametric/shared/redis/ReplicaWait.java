package io.parametric.shared.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;

/**
 * What follows a script on its connection when durability is {@link Durability#REPLICATED}:
 * {@code WAIT 1 <timeout>}, so the script's writes count only once a replica has them.
 *
 * <p>When no replica acknowledges within {@link Durability#WAIT_TIMEOUT} (none is connected — a
 * promoted replica whose old master is still down — or it lags), the write stays done on the
 * master alone: one warning names the master, and its later scripts are followed by
 * {@code ROLE} instead, which costs no wait, until a replica is listed again (one info line);
 * then {@code WAIT} resumes. The fleet keeps running on one node rather than stopping; for the
 * strict choice, set {@code min-replicas-to-write 1} on the masters, and Redis refuses the
 * writes themselves (NOREPLICAS: REDIS_UNAVAILABLE, the caller retries).
 */
final class ReplicaWait {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaWait.class);

    /** Masters whose last {@code WAIT} timed out, by host:port. */
    private final Set<String> unacknowledged = ConcurrentHashMap.newKeySet();

    /**
     * Appends {@code WAIT} (or {@code ROLE}, see above) to a pipeline after its scripts.
     *
     * @param pipe the pipeline, on the master's connection
     * @param master the master's host:port
     * @return what to run once the pipeline was synced and its own replies read
     */
    Runnable append(Pipeline pipe, String master) {
        if (unacknowledged.contains(master)) {
            Response<List<Object>> role = pipe.appendCommand(
                    new CommandObject<>(new CommandArguments(Protocol.Command.ROLE), BuilderFactory.RAW_OBJECT_LIST));
            return () -> {
                if (listsAReplica(role.get()) && unacknowledged.remove(master)) {
                    LOG.info("the Redis master at {} has a replica again: placements and outcomes wait for it again"
                            + " (PP_DURABILITY=replicated)", master);
                }
            };
        }
        Response<Long> acknowledged = pipe.waitReplicas(1, Durability.WAIT_TIMEOUT.toMillis());
        return () -> {
            if (acknowledged.get() < 1 && unacknowledged.add(master)) {
                LOG.warn("no replica of the Redis master at {} acknowledged a write within {} ms (PP_DURABILITY=replicated):"
                        + " placements and outcomes now count once the master has them, and a failover before a replica"
                        + " catches up can lose them; bring a replica back (INFO replication on the master shows them)",
                        master, Durability.WAIT_TIMEOUT.toMillis());
            }
        };
    }

    /** @return true when a master's ROLE reply ({@code master, offset, [[ip, port, offset]...]}) lists a replica */
    private static boolean listsAReplica(List<Object> role) {
        return role.size() > 2 && role.get(2) instanceof List<?> replicas && !replicas.isEmpty();
    }
}
