package io.parametric.manager.internal;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.LogText;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.redis.ReconnectDelay;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The one thread per manager that block-pops the manager's completion list — up to 1,000
 * outcomes per round trip ({@code BLMPOP}) — and hands each outcome on. It never polls job
 * state: workers push every outcome here. It refreshes the
 * list's TTL so the list outlives quiet periods but expires once its manager is gone. After a
 * Redis outage it catches up once: an outcome the blocking pop took just before Redis died never
 * reached the manager, but it is in its job record, so every job still waited for is looked up there.
 * A job that was waited for before the outage and has neither entry nor record after it was lost with Redis's
 * data (a Redis restarted without persistence): its waiters get REDIS_UNAVAILABLE instead of
 * waiting forever.
 *
 * <p>Once per lease it also sweeps for vanished jobs: a job still waited for whose entry and record are
 * gone (deleted by someone with write access to Redis, or lost with Redis's data) can never get
 * an outcome — a take dead-letters an id without an entry — so its waiters fail with
 * ILLEGAL_STATE instead of waiting forever. A sweep looks at {@value #SWEEP_MAX} of the jobs
 * waited for, the next ones each lease ({@link WaitedJobs#next}), so its cost does not grow with
 * the number waited for: a vanished job is found within one lease per {@value #SWEEP_MAX} jobs
 * waited for.
 *
 * <p>On a sharded fleet a manager has one listener per shard, each popping the manager's
 * completion list of its shard; the look-ups (catching up, sweeping) ask every shard, since a
 * job's id does not say which shard holds it, and only shard 0's listener sweeps.
 */
public final class CompletionListener implements AutoCloseable {

    private static final Logger LOG = Logs.get(CompletionListener.class);
    /** Pushed by {@link #close} to wake the blocking pop at once. */
    private static final String STOP = "{\"stop\":true}";
    private static final Duration BLOCK = Duration.ofSeconds(10);
    /** The shortest blocking pop (0 would block for ever). */
    private static final Duration MIN_BLOCK = Duration.ofMillis(50);
    /** The most outcomes one blocking pop takes (one round trip for a busy fleet's burst). */
    private static final int BATCH = 1000;
    /** Refreshes the list's TTL: long enough to survive a manager pausing, short enough that a dead manager's list goes. */
    private static final Duration REFRESH = Duration.ofSeconds(30);
    /** The most jobs one sweep for vanished jobs looks up (two HEXISTS each). */
    static final int SWEEP_MAX = 1000;

    private final Fleet fleet;
    private final FleetShards lookup;
    private final boolean sweeps;
    private final String managerId;
    private final String key;
    private final Consumer<Outcome> sink;
    private final WaitedJobs waited;
    private final Duration sweepEvery;
    private final Thread thread;
    private volatile boolean stopped;
    /** The jobs waited for when the outage began: only they can have been lost by it. */
    private java.util.Set<String> waitedBeforeOutage = java.util.Set.of();

    /**
     * Starts listening.
     *
     * @param fleet the fleet, or the shard, whose completion list of the manager to pop
     * @param lookup every shard of the fleet, where jobs are looked up
     * @param managerId the manager whose completion list to pop
     * @param sink receives each outcome, on the listener thread
     * @param waited the placed jobs still waited for, looked up in their job records after an
     *     outage and swept for vanished ones
     * @param sweepEvery how often to sweep for vanished jobs (the fleet's lease)
     * @param sweeps true for the one listener of the manager that sweeps for vanished jobs
     */
    public CompletionListener(Fleet fleet, FleetShards lookup, String managerId, Consumer<Outcome> sink,
                              WaitedJobs waited, Duration sweepEvery, boolean sweeps) {
        this.lookup = lookup;
        this.sweeps = sweeps;
        this.waited = waited;
        this.sweepEvery = sweepEvery;
        this.fleet = fleet;
        this.managerId = managerId;
        this.key = fleet.keys().completions(managerId);
        this.sink = sink;
        this.thread = new Thread(this::loop, "pp-completions-" + managerId);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long nextRefresh = 0;
        long nextSweep = System.nanoTime() + sweepEvery.toNanos();
        boolean redisDown = false;
        while (!stopped) {
            try {
                if (System.nanoTime() - nextRefresh >= 0) {
                    fleet.keepCompletions(managerId);
                    nextRefresh = System.nanoTime() + REFRESH.toNanos();
                }
                if (!redisDown && System.nanoTime() - nextSweep >= 0) {
                    if (sweeps) {
                        sweepVanished();
                    }
                    nextSweep = System.nanoTime() + sweepEvery.toNanos();
                }
                long untilSweep = Math.max(MIN_BLOCK.toNanos(), nextSweep - System.nanoTime());
                List<String> entries = fleet.nextCompletions(managerId,
                        Duration.ofNanos(Math.min(BLOCK.toNanos(), untilSweep)), BATCH);
                if (redisDown) {
                    LOG.info("Redis answers again; completions of {} flow again", key);
                    redisDown = false;
                    catchUp();
                    nextSweep = System.nanoTime() + sweepEvery.toNanos();
                }
                for (String entry : entries) {
                    deliver(entry);
                }
            } catch (ProcessError e) {
                if (stopped) {
                    return;
                }
                if (!redisDown) {
                    LOG.warn("completion listener lost Redis ({}); retrying", e.getMessage());
                    redisDown = true;
                    waitedBeforeOutage = new java.util.HashSet<>(waited.all());
                }
                ReconnectDelay.pause(ReconnectDelay.DEFAULT);
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("completion listener: {}", e.toString());
                ReconnectDelay.pause(ReconnectDelay.DEFAULT);
            }
        }
    }

    private void catchUp() {
        List<String> waiting = waited.all();
        var found = lookup.storedOutcomes(waiting);
        if (!found.isEmpty()) {
            LOG.info("caught up with {} outcome(s) stored while Redis was away", found.size());
        }
        found.values().forEach(sink);
        List<String> before = waiting.stream().filter(waitedBeforeOutage::contains).toList();
        waitedBeforeOutage = java.util.Set.of();
        List<String> lost = lookup.missingJobs(before);
        if (!lost.isEmpty()) {
            LOG.error("{} job(s) placed before the Redis outage are gone from Redis: it restarted without its data"
                    + " (set appendonly yes); their waiters get REDIS_UNAVAILABLE", lost.size());
        }
        for (String id : lost) {
            sink.accept(Outcome.failure(id, 0, ProcessError.Reason.REDIS_UNAVAILABLE.name(),
                    "job " + id + " is gone from Redis: Redis came back from an outage without it (it restarted without"
                            + " persistence); run Redis with appendonly yes, and place the job again", 0));
        }
    }

    private void sweepVanished() {
        List<String> vanished = lookup.missingJobs(waited.next(SWEEP_MAX));
        if (!vanished.isEmpty()) {
            LOG.warn("{} job(s) waited for have vanished from fleet '{}' (no job record in Redis); their waiters fail",
                    vanished.size(), fleet.keys().fleet());
        }
        for (String id : vanished) {
            sink.accept(Outcome.failure(id, 0, ProcessError.Reason.ILLEGAL_STATE.name(),
                    "job " + id + " has vanished from fleet '" + fleet.keys().fleet() + "': its record is gone from Redis"
                            + " (deleted by someone with write access to it, or lost with Redis's data), so no worker will run it;"
                            + " place it again, and keep others from writing to the fleet's keys", 0));
        }
    }

    /**
     * Hands on one raw entry of the completion list: the one place an outcome is read;
     * {@link Fleet#readOutcome} logs and drops one whose signature is wrong. Whatever goes wrong
     * with one entry is logged, and the rest of its batch is still delivered.
     */
    private void deliver(String entry) {
        if (STOP.equals(entry)) {
            return;
        }
        try {
            Outcome outcome = fleet.readOutcome(entry);
            if (outcome != null) {
                sink.accept(outcome);
            }
        } catch (RuntimeException e) {
            LOG.warn("an entry of {} could not be delivered, the rest of its batch goes on: {}", key, LogText.safe(e.toString()));
        }
    }

    /** Stops the thread; wakes its blocking pop at once. */
    @Override
    public void close() {
        stopped = true;
        try {
            fleet.wakeCompletions(managerId, STOP);
        } catch (RuntimeException e) {
            thread.interrupt();
        }
        try {
            thread.join(BLOCK.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
