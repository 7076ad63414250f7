package io.parametric.shared.protocol;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.redis.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The shards of one fleet, each a complete protocol-2 fleet under its own hash tag
 * ({@link FleetKeys#shard}): shard 0 holds the fleet's own keys and what is fleet-wide (the
 * {@code shards} setting, the pid counter, shared values); shards 1..N-1 spread the fleet's
 * queues over more Redis Cluster slots, so over more masters. The count is the {@value #SETTING}
 * field of shard 0's {@code settings} hash (absent: 1) and only grows: a job never moves between
 * shards, so a shard, once made, stays. Reads that see the whole fleet take one round trip per
 * shard. Thread-safe.
 */
public final class FleetShards {

    /** The field of shard 0's {@code settings} hash that holds the shard count. */
    public static final String SETTING = "shards";

    /** The most shards a fleet may have. */
    public static final int MAX = 256;

    private final Redis redis;
    private final Function<FleetKeys, Fleet> open;
    private final String fleetName;
    /** Index = shard; grows with the count, never shrinks. Guarded by this for writes. */
    private volatile List<Fleet> fleets;
    /** Which shard each pid registered on: pids never move between shards. */
    private final Map<Long, Integer> shardOfPid = new ConcurrentHashMap<>();

    /**
     * Knows shard 0 only until {@link #refresh()} reads the count (nothing is read here).
     *
     * @param redis the connection every shard is reached through
     * @param fleet the fleet name
     * @param secret signs and checks entries and outcomes
     * @param jobTtl how long a finished job's record is kept
     */
    public FleetShards(Redis redis, String fleet, FleetSecret secret, Duration jobTtl) {
        this.redis = redis;
        this.fleetName = fleet;
        this.open = keys -> new Fleet(redis, keys, secret, jobTtl);
        this.fleets = List.of(open.apply(new FleetKeys(fleet)));
    }

    /** @return the fleet name */
    public String fleet() {
        return fleetName;
    }

    /** @return shard 0: the fleet's own keys, where its settings, pid counter and shared values live */
    public Fleet base() {
        return fleets.get(0);
    }

    /** @return every shard, index = shard number */
    public List<Fleet> all() {
        return fleets;
    }

    /** @return how many shards the fleet has */
    public int count() {
        return fleets.size();
    }

    /**
     * @param shard a shard number below {@link #count()}
     * @return that shard
     */
    public Fleet shard(int shard) {
        return fleets.get(shard);
    }

    /**
     * Reads the shard count again, for a count raised elsewhere.
     *
     * @return true when the fleet has more shards than before
     * @throws ProcessError ILLEGAL_STATE when the stored count is not a number from 1 to {@value #MAX}
     */
    public boolean refresh() {
        return growTo(storedCount());
    }

    /**
     * Raises the fleet's shard count (it never falls: queued jobs never move between shards). The
     * new shards get shard 0's backlog limit.
     *
     * @param n the count wanted, 1 to {@value #MAX}
     * @throws IllegalArgumentException when n is out of range
     * @throws ProcessError ILLEGAL_STATE when n is below the count the fleet has
     */
    public synchronized void raiseTo(int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("shards must be 1 to " + MAX + ", got " + n);
        }
        int stored = storedCount();
        if (n < stored) {
            throw new ProcessError(Reason.ILLEGAL_STATE, "fleet '" + fleetName + "' has " + stored + " shards and a shard"
                    + " count never falls (jobs never move between shards); to use fewer, start a new fleet name and retire"
                    + " this one when it is empty (docs/scaling.md)");
        }
        if (n > stored) {
            long limit = base().backlogLimit();
            for (int k = stored; k < n; k++) {
                open.apply(FleetKeys.shard(fleetName, k)).backlogLimit(limit);
            }
            redis.hset(base().keys().settings(), Map.of(SETTING, Integer.toString(n)));
        }
        growTo(n);
    }

    private int storedCount() {
        String text = redis.hget(base().keys().settings(), SETTING);
        if (text == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProcessError(Reason.ILLEGAL_STATE, "fleet '" + fleetName + "' has " + SETTING + " = '"
                + LogText.safe(text) + "' in " + base().keys().settings() + ", which is not a number from 1 to " + MAX
                + "; set it back to the shard count the fleet had (HSET " + base().keys().settings() + " " + SETTING + " <n>)");
    }

    private synchronized boolean growTo(int n) {
        List<Fleet> now = fleets;
        if (n <= now.size()) {
            return false;
        }
        List<Fleet> grown = new ArrayList<>(now);
        for (int k = now.size(); k < n; k++) {
            grown.add(open.apply(FleetKeys.shard(fleetName, k)));
        }
        fleets = List.copyOf(grown);
        return true;
    }

    /**
     * Records the shard a worker registered on, when the caller knows it (a membership read).
     *
     * @param pid the worker
     * @param shard its shard
     */
    public void learn(long pid, int shard) {
        shardOfPid.put(pid, shard);
    }

    /**
     * @param pid a worker
     * @return the shard it registered on: known, or found by asking each shard whether it has
     *     the worker's record (one command per shard, once per pid); shard 0 when no shard has it
     *     (a placement there then fails NO_SUCH_WORKER)
     */
    public Fleet of(long pid) {
        Integer known = shardOfPid.get(pid);
        if (known != null && known < count()) {
            return shard(known);
        }
        List<Fleet> all = fleets;
        if (all.size() > 1) {
            for (Fleet f : all) {
                if (f.workerInfo(pid).isEmpty()) {
                    continue;
                }
                shardOfPid.put(pid, f.keys().shard());
                return f;
            }
        }
        return base();
    }

    /**
     * Chooses the shard a new worker joins: a shard without live workers first (nothing else runs
     * its jobs, whatever its backlog), else the one whose backlog most needs workers, scored
     * (backlog + 1) / (live workers + 1); ties broken at random (so workers starting together
     * spread). One round trip per shard.
     *
     * @return the shard to join
     */
    public Fleet forNewWorker() {
        List<Fleet> all = fleets;
        if (all.size() == 1) {
            return all.get(0);
        }
        List<Fleet> best = new ArrayList<>();
        double bestScore = -1;
        for (Fleet f : all) {
            List<Object> r = redis.batch(b -> {
                b.llen(f.keys().backlog());
                b.zcard(f.keys().workers());
            });
            long workers = (Long) r.get(1);
            double score = workers == 0 ? Double.POSITIVE_INFINITY : ((Long) r.get(0) + 1.0) / (workers + 1.0);
            if (score > bestScore) {
                best.clear();
                bestScore = score;
            }
            if (score == bestScore) {
                best.add(f);
            }
        }
        return best.get(ThreadLocalRandom.current().nextInt(best.size()));
    }

    /**
     * Sets the backlog limit of every shard: each shard's backlog is limited to it.
     *
     * @param limit the most jobs one shard's backlog may hold; 0 for no limit
     */
    public void backlogLimit(long limit) {
        fleets.forEach(f -> f.backlogLimit(limit));
    }

    /**
     * Re-attaches a manager to a job on whichever shard holds it (see {@link Fleet#watch}).
     *
     * @param jobId the job
     * @param managerId the manager
     * @return the stored outcome, or empty when it will arrive on the manager's completion list of that shard
     * @throws ProcessError ILLEGAL_STATE when no shard knows the job
     */
    public Optional<Outcome> watch(String jobId, String managerId) {
        List<Fleet> all = fleets;
        for (int k = 0; k < all.size() - 1; k++) {
            if (all.get(k).job(jobId).isPresent()) {
                return all.get(k).watch(jobId, managerId);
            }
        }
        return all.get(all.size() - 1).watch(jobId, managerId);
    }

    /**
     * @param jobId a job
     * @return the shard that knows it (asking each in turn), or empty
     */
    public Optional<Fleet> holding(String jobId) {
        for (Fleet f : fleets) {
            if (f.job(jobId).isPresent()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * @param jobIds jobs
     * @return those no shard holds an entry or a record of (see {@link Fleet#missingJobs})
     */
    public List<String> missingJobs(List<String> jobIds) {
        List<String> missing = jobIds;
        for (Fleet f : fleets) {
            if (missing.isEmpty()) {
                break;
            }
            missing = f.missingJobs(missing);
        }
        return missing;
    }

    /**
     * @param jobIds jobs
     * @return the stored outcomes found on any shard (see {@link Fleet#storedOutcomes})
     */
    public Map<String, Outcome> storedOutcomes(List<String> jobIds) {
        Map<String, Outcome> found = new LinkedHashMap<>();
        for (Fleet f : fleets) {
            found.putAll(f.storedOutcomes(jobIds));
        }
        return found;
    }

    /** @return every shard's dead-letter list, shard after shard */
    public List<String> deadLetters() {
        List<String> all = new ArrayList<>();
        fleets.forEach(f -> all.addAll(f.deadLetters()));
        return all;
    }

    /** @return how many dead-lettered jobs were requeued, each on its own shard (see {@link Fleet#requeueDeadLetters}) */
    public int requeueDeadLetters() {
        return fleets.stream().mapToInt(Fleet::requeueDeadLetters).sum();
    }

    /** @return how many dead-letter entries every shard held; they are now empty */
    public int purgeDeadLetters() {
        return fleets.stream().mapToInt(Fleet::purgeDeadLetters).sum();
    }
}
