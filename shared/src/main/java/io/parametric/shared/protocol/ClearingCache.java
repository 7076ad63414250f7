package io.parametric.shared.protocol;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values computed once per key, for keys that repeat on every job (a lambda's stored form, a
 * worker's script keys); past a bound the cache starts over, so keys that never repeat cannot
 * grow it without end.
 *
 * @param <K> the key
 * @param <V> what is computed from it
 */
final class ClearingCache<K, V> {

    private final int bound;
    private final Function<K, V> compute;
    private final Map<K, V> values = new ConcurrentHashMap<>();

    /**
     * @param bound the most values kept
     * @param compute makes the value of a key (the same value each time)
     */
    ClearingCache(int bound, Function<K, V> compute) {
        this.bound = bound;
        this.compute = compute;
    }

    /**
     * @param key a key
     * @return its value, computed on first use
     */
    V get(K key) {
        V known = values.get(key);
        if (known != null) {
            return known;
        }
        // Sized only on a miss: a concurrent map's size() adds up its counters, on every call otherwise.
        if (values.size() >= bound) {
            values.clear();
        }
        return values.computeIfAbsent(key, compute);
    }
}
