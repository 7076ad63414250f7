package io.parametric.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.util.KeyValue;

/**
 * The ceiling of any design built on Redis lists: a bare Jedis loop with no job records, no
 * scripts and no bookkeeping. The producer pushes job payloads pipelined and pops the results in
 * batches; each worker thread takes one job per {@code BLPOP} and pushes its id to the result
 * list with one {@code RPUSH} (a worker that takes and answers jobs in batches would have no
 * per-job round trip left to measure). Same Redis, same payload size as a no-op lambda job.
 *
 * <pre>{@code
 * Baseline lists = RedisListBaseline.run(settings, System.err);
 * }</pre>
 */
final class RedisListBaseline {

    /** About the size of a no-op lambda's payload in protocol 1. */
    static final int PAYLOAD_BYTES = 320;
    private static final int PIPELINE = 1_000;

    private final Settings settings;
    private final String jobs;
    private final String results;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();
    private final String padding = "x".repeat(PAYLOAD_BYTES - 16);

    private RedisListBaseline(Settings settings) {
        this.settings = settings;
        String prefix = "pp-bench-lists-" + UUID.randomUUID().toString().substring(0, 8);
        this.jobs = prefix + ":jobs";
        this.results = prefix + ":results";
    }

    /**
     * @param settings the run's sizes (slots = worker threads)
     * @param log progress lines
     * @return its figures
     * @throws Exception a Redis call that failed
     */
    static Baseline run(Settings settings, PrintStream log) throws Exception {
        RedisListBaseline b = new RedisListBaseline(settings);
        try (Jedis producer = b.connect()) {
            b.startWorkers();
            log.println("[bench] Jedis lists: warming up");
            b.pushThenCollect(producer, settings.warmup() * 2);
            JitSettle.await(log, "Jedis lists' end-to-end run");
            log.println("[bench] Jedis lists: end to end");
            long t0 = System.nanoTime();
            b.pushThenCollect(producer, settings.jobs());
            double rate = settings.jobs() / FleetScenarios.seconds(System.nanoTime() - t0);
            log.println("[bench] Jedis lists: sequential latency");
            Latency.Summary latency = Latency.measure(settings.warmup(), settings.samples(), () -> {
                producer.rpush(b.jobs, b.payload(0));
                b.popResult(producer);
            }, log);
            return new Baseline(rate, latency);
        } finally {
            b.stopWorkers();
            try (Jedis j = b.connect()) {
                j.del(b.jobs, b.results);
            }
        }
    }

    private Jedis connect() {
        return Connections.open(settings.redisUrl(), 10_000);
    }

    private String payload(int i) {
        String id = Integer.toString(i);
        return id + ":" + padding.substring(id.length() + 1);
    }

    private void pushThenCollect(Jedis producer, int n) {
        Pipeline p = producer.pipelined();
        for (int i = 0; i < n; i++) {
            p.rpush(jobs, payload(i));
            if ((i + 1) % PIPELINE == 0) {
                p.sync();
            }
        }
        p.sync();
        int got = 0;
        while (got < n) {
            got += popResult(producer);
            List<String> more = producer.lpop(results, PIPELINE);
            got += more == null ? 0 : more.size();
        }
    }

    private int popResult(Jedis producer) {
        KeyValue<String, String> one = producer.blpop(10.0, results);
        if (one == null) {
            throw new IllegalStateException("no result in 10 s from the list workers; Redis may be overloaded");
        }
        return 1;
    }

    private void startWorkers() {
        for (int i = 0; i < settings.slots(); i++) {
            Thread t = new Thread(this::work, "pp-bench-list-worker-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    private void work() {
        try (Jedis j = connect()) {
            while (running.get()) {
                KeyValue<String, String> next = j.blpop(0.1, jobs);
                if (next != null) {
                    String payload = next.getValue();
                    j.rpush(results, payload.substring(0, payload.indexOf(':')));
                }
            }
        }
    }

    private void stopWorkers() throws InterruptedException {
        running.set(false);
        for (Thread t : workers) {
            t.join(5_000);
        }
    }
}
