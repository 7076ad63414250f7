package io.parametric.manager.internal;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Json;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a manager's shared values live (the seed's {@code put!}): in the fleet's Redis when the
 * manager has one, else in this JVM for {@code Async}-only managers. Values are stored as JSON
 * either way, so a value behaves alike on every kind of worker.
 */
public interface SharedValues {

    /**
     * @param name the name
     * @param json the value as JSON
     */
    void put(String name, String json);

    /**
     * @param pid the worker that alone sees it
     * @param name the name
     * @param json the value as JSON
     */
    void put(long pid, String name, String json);

    /**
     * @param pid the worker asking, or 0 for the fleet-wide value only
     * @param name the name
     * @return the worker's own value, else the fleet-wide one, as JSON; null when unset
     */
    String get(long pid, String name);

    /**
     * @param name a fleet-wide integer value (0 when unset)
     * @param delta what to add
     * @return the new value
     */
    long increment(String name, long delta);

    /**
     * @param fleet a Redis fleet
     * @return values kept in its Redis
     */
    static SharedValues in(Fleet fleet) {
        return new SharedValues() {
            @Override
            public void put(String name, String json) {
                fleet.putValueJson(name, json);
            }

            @Override
            public void put(long pid, String name, String json) {
                fleet.putWorkerValueJson(pid, name, json);
            }

            @Override
            public String get(long pid, String name) {
                return pid > 0 ? fleet.fetchValue(pid, name) : fleet.fetchValue(name);
            }

            @Override
            public long increment(String name, long delta) {
                return fleet.increment(name, delta);
            }
        };
    }

    /** @return values kept in this JVM */
    static SharedValues inMemory() {
        Map<String, String> values = new ConcurrentHashMap<>();
        return new SharedValues() {
            @Override
            public void put(String name, String json) {
                values.put("*:" + name, json);
            }

            @Override
            public void put(long pid, String name, String json) {
                values.put(pid + ":" + name, json);
            }

            @Override
            public String get(long pid, String name) {
                String own = pid > 0 ? values.get(pid + ":" + name) : null;
                return own != null ? own : values.get("*:" + name);
            }

            @Override
            public long increment(String name, long delta) {
                String key = "*:" + name;
                String updated = values.compute(key, (k, old) -> {
                    long base;
                    try {
                        base = old == null ? 0 : Json.read(old, Long.class);
                    } catch (IllegalArgumentException e) {
                        throw new ProcessError(Reason.BAD_PAYLOAD,
                                "shared value '" + name + "' is not an integer, so it cannot be incremented; put a number first", e);
                    }
                    return Long.toString(base + delta);
                });
                return Long.parseLong(updated);
            }
        };
    }
}
