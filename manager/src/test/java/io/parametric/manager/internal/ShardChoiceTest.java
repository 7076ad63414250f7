package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Jobs go to shards in proportion to their workers, never to a shard without any (unless none has), the same shard for the same id. */
class ShardChoiceTest {

    private static int[] spread(long[] weights, int jobs) {
        int[] counts = new int[weights.length];
        for (int i = 0; i < jobs; i++) {
            counts[ShardChoice.of("k3x9q2ab." + Long.toString(i, 36), weights)]++;
        }
        return counts;
    }

    @Test
    void shardsGetJobsInProportionToTheirWorkers() {
        int[] counts = spread(new long[] {1, 2, 1}, 40_000);
        assertThat(counts[0]).isBetween(9_000, 11_000);
        assertThat(counts[1]).isBetween(19_000, 21_000);
        assertThat(counts[2]).isBetween(9_000, 11_000);
    }

    @Test
    void aShardWithoutWorkersGetsNoneUnlessNoShardHasAny() {
        assertThat(spread(new long[] {3, 0, 5}, 10_000)[1]).isZero();
        int[] none = spread(new long[] {0, 0, 0}, 30_000);
        for (int c : none) {
            assertThat(c).isBetween(9_000, 11_000);
        }
    }

    @Test
    void theSameIdGoesToTheSameShard() {
        long[] weights = {2, 3, 4};
        for (int i = 0; i < 1000; i++) {
            String id = "m." + i;
            assertThat(ShardChoice.of(id, weights)).isEqualTo(ShardChoice.of(id, weights.clone()));
        }
    }
}
