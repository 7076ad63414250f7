package io.parametric.manager.internal;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.Outcome;
import java.util.function.Consumer;

/**
 * A manager's place in one Redis fleet: the connection, the fleet, the completion listener and,
 * when the manager started it, the private Redis server. Closing it releases all of them.
 */
public final class FleetConnection implements AutoCloseable {

    private final RedisLocator.Found found;
    private final Fleet fleet;
    private final CompletionListener listener;

    /**
     * @param found the Redis
     * @param fleetName the fleet
     * @param managerId the manager whose completions to listen for
     * @param sink receives each outcome
     */
    public FleetConnection(RedisLocator.Found found, String fleetName, String managerId, Consumer<Outcome> sink) {
        this.found = found;
        this.fleet = new Fleet(found.redis(), new FleetKeys(fleetName), Fleet.DEFAULT_JOB_TTL);
        this.listener = new CompletionListener(fleet, managerId, sink);
    }

    /** @return the fleet */
    public Fleet fleet() {
        return fleet;
    }

    /** @return the Redis URL as workers should reach it (with credentials) */
    public String workerUrl() {
        return found.url();
    }

    /** @return how the Redis was found, for the user */
    public String origin() {
        return found.origin();
    }

    @Override
    public void close() {
        listener.close();
        found.redis().close();
        if (found.owned() != null) {
            found.owned().close();
        }
    }
}
