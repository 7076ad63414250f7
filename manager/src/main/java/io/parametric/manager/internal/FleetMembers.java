package io.parametric.manager.internal;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.FleetShards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The live workers of every shard of a fleet as a {@code connect()} manager places on them: one
 * {@link MembershipCache} per shard (a fleet that is not sharded has one), and what placement
 * across shards weighs them by. Each pid read here is recorded as its shard's
 * ({@link FleetShards#learn}), so placing on a pid never asks the shards where it lives.
 */
public final class FleetMembers implements AutoCloseable {

    private final FleetShards shards;
    private final Duration every;
    /** Index = shard; guarded by this. */
    private final List<MembershipCache> caches = new ArrayList<>();
    /** The shards' pid lists {@link #allPids} was made from; guarded by this. */
    private List<List<Long>> combined = List.of();
    /** Every shard's pids, ascending; guarded by this. */
    private List<Long> allPids = List.of();
    private boolean closed;

    /**
     * Reads the live workers of every shard once, then keeps them fresh.
     *
     * @param shards the fleet's shards
     * @param every how often to re-read (the fleet's lease)
     * @throws ProcessError REDIS_UNAVAILABLE when a first read fails
     */
    public FleetMembers(FleetShards shards, Duration every) {
        this.shards = shards;
        this.every = every;
        follow();
    }

    /** Starts a cache on each shard that has none yet. */
    synchronized void follow() {
        while (!closed && caches.size() < shards.count()) {
            caches.add(new MembershipCache(shards.shard(caches.size()), every));
        }
    }

    private synchronized List<MembershipCache> caches() {
        return List.copyOf(caches);
    }

    /**
     * @return the pids of the live workers of every shard as last known, ascending: the same list
     *     until they change
     */
    public synchronized List<Long> pids() {
        List<List<Long>> each = new ArrayList<>(caches.size());
        for (MembershipCache cache : caches) {
            each.add(cache.pids());
        }
        if (!sameLists(each, combined)) {
            TreeSet<Long> all = new TreeSet<>();
            for (int k = 0; k < each.size(); k++) {
                for (long pid : each.get(k)) {
                    shards.learn(pid, k);
                    all.add(pid);
                }
            }
            combined = each;
            allPids = List.copyOf(all);
        }
        return allPids;
    }

    /** @return true when both hold the very same lists, in order */
    private static boolean sameLists(List<List<Long>> a, List<List<Long>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** @return how many live workers each shard has as last known, index = shard */
    public long[] perShard() {
        List<MembershipCache> each = caches();
        long[] counts = new long[each.size()];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = each.get(k).pids().size();
        }
        return counts;
    }

    /**
     * Re-reads every shard's live workers now (one command per shard), for a caller that found them stale.
     *
     * @return true when some shard's set changed
     * @throws ProcessError REDIS_UNAVAILABLE when Redis does not answer
     */
    public boolean refresh() {
        boolean changed = false;
        for (MembershipCache c : caches()) {
            changed |= c.refresh();
        }
        return changed;
    }

    /** Stops every cache. */
    @Override
    public synchronized void close() {
        closed = true;
        caches.forEach(MembershipCache::close);
    }
}
