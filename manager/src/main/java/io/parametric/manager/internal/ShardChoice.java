package io.parametric.manager.internal;

import java.nio.charset.StandardCharsets;

/**
 * Which shard a job for whichever worker is free first goes to: weighted rendezvous hashing of
 * its id, each shard weighed by its live workers. Shards get jobs in proportion to their workers
 * (none while they have none, unless no shard has any: then all alike), and the choice depends
 * only on the id and the weights, so a placement sent again (a batch refused for one job's sake
 * is placed job by job) goes to the shard that may already hold it, where it is not placed twice.
 */
final class ShardChoice {

    private ShardChoice() {}

    /**
     * @param jobId the job
     * @param weights live workers per shard, index = shard (at least one shard)
     * @return the shard
     */
    static int of(String jobId, long[] weights) {
        boolean none = true;
        for (long w : weights) {
            none &= w <= 0;
        }
        long idHash = fnv1a(jobId);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < weights.length; k++) {
            long w = none ? 1 : weights[k];
            if (w <= 0) {
                continue;
            }
            // A uniform draw in (0, 1) from the id and the shard; -w / ln(u) is largest for the
            // shard that wins, with probability w / (sum of weights).
            double u = ((mix(idHash + k) >>> 11) + 0.5) / (1L << 53);
            double score = -w / Math.log(u);
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    private static long fnv1a(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: spreads neighbouring inputs over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
