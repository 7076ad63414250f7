package io.parametric.manager;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Json;
import java.util.List;

/**
 * The seed's {@code put!} and fetch: values in the manager's store ({@link Backends#values()}:
 * the fleet's Redis, else this JVM), fleet-wide or per worker, read by jobs through their
 * {@code JobContext}.
 */
final class SharedState {

    private final Membership membership;
    private final Backends backends;

    SharedState(Membership membership, Backends backends) {
        this.membership = membership;
        this.backends = backends;
    }

    void put(String name, Object value) {
        backends.values().put(name, write(name, value));
    }

    void put(List<Long> pids, String name, Object value) {
        String json = write(name, value);
        // A pushed worker reads the store of the manager that made it.
        pids.stream().<Worker<?>>map(membership::member).toList()
                .forEach(w -> w.binding().values().put(w.pid(), name, json));
    }

    <T> T fetch(String name, Class<T> type) {
        String json = backends.values().get(0, name);
        return json == null ? null : Json.read(json, type);
    }

    private static String write(String name, Object value) {
        try {
            return Json.write(value);
        } catch (IllegalArgumentException e) {
            throw new ProcessError(Reason.BAD_PAYLOAD,
                    "shared value '" + name + "' cannot travel as JSON: " + e.getMessage() + "; put a value Jackson can write", e);
        }
    }
}
