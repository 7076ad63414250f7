package io.parametric.faults;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobRecord;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.testing.TestSecret;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.redis.Redis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a fault scenario needs around the manager API: its worker processes, a direct look at the
 * fleet's Redis keys (to check in-flight lists and run counters, and to push garbage), and the
 * figures it reports to RELIABILITY.md ({@code target/fault-figures.txt}).
 */
final class Fleetside implements AutoCloseable {

    final String redisUrl;
    final String fleet;
    final FleetKeys keys;
    final Redis redis;
    final Fleet fleetApi;
    final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    /** Environment variables every worker started from now on gets (e.g. PP_DURABILITY). */
    final Map<String, String> workerEnvironment = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final String scenario;
    private int started;

    Fleetside(String scenario, String redisUrl, String fleet) {
        this.scenario = scenario;
        this.redisUrl = redisUrl;
        this.fleet = fleet;
        this.keys = new FleetKeys(fleet);
        this.redis = new Redis(redisUrl, 4);
        this.fleetApi = new Fleet(redis, keys, TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
    }

    /** @return the job's state ({@code queued} without a record), or null when the fleet does not know it */
    String state(String jobId) {
        return fleetApi.job(jobId).map(JobRecord::state).orElse(null);
    }

    /** @return the job's record; fails when the fleet does not know it */
    JobRecord record(String jobId) {
        return fleetApi.job(jobId).orElseThrow(() -> new AssertionError("no job " + jobId + " in fleet " + fleet));
    }

    /** @return the job's stored outcome (signature checked), or null */
    Outcome outcome(String jobId) {
        JobRecord r = record(jobId);
        return r.outcome() == null ? null : fleetApi.readOutcome(r.outcome());
    }

    /** Starts n workers in parallel and waits until all announced themselves. */
    List<WorkerProcess> startWorkers(int n, String... flags) {
        List<Thread> threads = new ArrayList<>();
        List<WorkerProcess> fresh = new CopyOnWriteArrayList<>();
        List<RuntimeException> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "w" + (++started);
            Thread t = new Thread(() -> {
                try {
                    fresh.add(WorkerProcess.start(redisUrl, fleet, name, workerEnvironment, flags));
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.addAll(fresh);
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        return fresh;
    }

    /** @return every pid the fleet ever handed out (1 .. the counter) */
    List<Long> allPids() {
        String n = redis.get(keys.pidCounter());
        List<Long> pids = new ArrayList<>();
        for (long p = 1; n != null && p <= Long.parseLong(n); p++) {
            pids.add(p);
        }
        return pids;
    }

    /** @return the in-flight entries left on any worker of the fleet, live or dead */
    List<String> inFlightEverywhere() {
        List<String> left = new ArrayList<>();
        for (long pid : allPids()) {
            left.addAll(redis.lrange(keys.inFlight(pid)));
        }
        return left;
    }

    /** @return the pending entries left on any worker of the fleet */
    List<String> pendingEverywhere() {
        List<String> left = new ArrayList<>();
        for (long pid : allPids()) {
            left.addAll(redis.lrange(keys.pending(pid)));
        }
        return left;
    }

    /**
     * @param tags the run-counter names the jobs used ({@code runs:<tag>})
     * @return each tag's run count (0 when it never ran)
     */
    Map<String, Long> runs(List<String> tags) {
        List<Object> values = redis.batch(b -> tags.forEach(t -> b.get(keys.value("runs:" + t))));
        Map<String, Long> runs = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            Object v = values.get(i);
            runs.put(tags.get(i), v == null ? 0 : Long.parseLong((String) v));
        }
        return runs;
    }

    /**
     * Waits for every future; when some never complete, fails naming them with their job records.
     *
     * @param futures the jobs
     * @param timeout how long to wait for all
     */
    void awaitAll(List<? extends io.parametric.manager.JobFuture<?>> futures, java.time.Duration timeout) {
        try {
            java.util.concurrent.CompletableFuture.allOf(futures.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            List<String> stuck = new ArrayList<>();
            futures.stream().filter(f -> !f.isDone()).limit(10)
                    .forEach(f -> stuck.add(f.jobId() + " " + fleetApi.job(f.jobId())));
            throw new AssertionError(futures.stream().filter(f -> !f.isDone()).count() + " of " + futures.size()
                    + " jobs never completed within " + timeout + "; first ones: " + String.join("\n", stuck), e);
        } catch (java.util.concurrent.ExecutionException e) {
            // a failed job: the caller asserts on each future
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Records a figure for RELIABILITY.md. */
    void figure(String name, Object value) {
        figures.put(name, value);
    }

    /** Prints the figures and appends them to {@code target/fault-figures.txt}. */
    void report() {
        StringBuilder line = new StringBuilder("FAULT-FIGURES " + scenario + ":");
        figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        try {
            Files.writeString(Path.of("target", "fault-figures.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot write target/fault-figures.txt: " + e);
        }
    }

    @Override
    public void close() {
        workers.forEach(WorkerProcess::close);
        redis.close();
    }
}
