package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClearingCacheTest {

    private final List<Integer> computed = new ArrayList<>();
    private final ClearingCache<Integer, String> cache = new ClearingCache<>(2, k -> {
        computed.add(k);
        return "v" + k;
    });

    @Test
    void computesAKeysValueOnce() {
        assertThat(cache.get(1)).isEqualTo("v1");
        assertThat(cache.get(1)).isEqualTo("v1");

        assertThat(computed).containsExactly(1);
    }

    @Test
    void startsOverPastItsBound() {
        cache.get(1);
        cache.get(2);
        cache.get(3); // the cache held 2: it starts over with 3
        cache.get(1);

        assertThat(computed).containsExactly(1, 2, 3, 1);
    }
}
