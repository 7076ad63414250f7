package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Limits;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.OutcomeCodec;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestSecret;
import io.parametric.shared.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The completion listener takes its manager's outcomes in batches: one blocking pop for many. */
class CompletionListenerIT {

    /** These tests wait for no placed job: nothing to catch up on or sweep. */
    private static final WaitedJobs NOTHING_WAITED = new WaitedJobs() {
        @Override
        public List<String> all() {
            return List.of();
        }

        @Override
        public List<String> next(int max) {
            return List.of();
        }
    };

    private static final int OUTCOMES = 2500;

    private final Redis redis = new Redis(TestRedis.url(), 4);
    private final FleetShards shards = new FleetShards(redis, TestRedis.uniqueFleet("completions"), TestSecret.secret(),
            Fleet.DEFAULT_JOB_TTL);
    private final Fleet fleet = shards.base();
    private final OutcomeCodec signed = new OutcomeCodec(TestSecret.secret(), Limits.maxPayloadBytes());

    @AfterEach
    void closeRedis() {
        redis.close();
    }

    @Test
    void aBurstOfOutcomesComesBackInAFewBlockingPops() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < OUTCOMES; i++) {
            entries.add(signed.write(Outcome.success("j" + i, 1, Json.tree(i), 1)));
            if (i == OUTCOMES / 2) {
                entries.add("not an outcome");
                // Forged by a Redis writer without the secret: a return unsigned, and one with another secret.
                entries.add("2 - " + Json.write(Outcome.success("forged-unsigned", 1, Json.tree(0), 1)));
                entries.add(new OutcomeCodec(FleetSecret.of("another-secret-of-16-chars"), Limits.maxPayloadBytes())
                        .write(Outcome.success("forged-signed", 1, Json.tree(0), 1)));
                // An unsigned failure without a reason: no script makes one.
                entries.add("2 - {\"jobId\":\"forged-no-reason\",\"ok\":false}");
            }
        }
        redis.rpush(fleet.keys().completions("m1"), entries.toArray(String[]::new));
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        long popsBefore = blmpopCalls(redis);
        try (CompletionListener listener = new CompletionListener(fleet, shards, "m1", o -> delivered.add(o.jobId()),
                NOTHING_WAITED, Duration.ofMinutes(1), true)) {
            await().until(() -> delivered.size() == OUTCOMES);
            long pops = blmpopCalls(redis) - popsBefore;
            // One pop per outcome would be 2,500; batches of 1,000 take 3 (other tests' idle
            // listeners on this Redis may add one each).
            assertThat(pops).isBetween(3L, 20L);
        }
        assertThat(delivered).doesNotContain("forged-unsigned", "forged-signed", "forged-no-reason");
        assertThat(redis.llen(fleet.keys().completions("m1"))).isZero();
    }

    @Test
    void anOutcomeWhoseDeliveryThrowsDoesNotHoldUpTheRestOfItsBatch() {
        redis.rpush(fleet.keys().completions("m1"), signed.write(Outcome.success("first", 1, Json.tree(1), 1)),
                signed.write(Outcome.success("throws", 1, Json.tree(2), 1)),
                signed.write(Outcome.success("after", 1, Json.tree(3), 1)));
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        try (CompletionListener listener = new CompletionListener(fleet, shards, "m1", o -> {
            if (o.jobId().equals("throws")) {
                throw new IllegalStateException("a dependent of this future failed");
            }
            delivered.add(o.jobId());
        }, NOTHING_WAITED, Duration.ofMinutes(1), true)) {
            await().until(() -> delivered.contains("after"));
        }
        assertThat(delivered).containsExactlyInAnyOrder("first", "after");
    }

    private static long blmpopCalls(Redis redis) {
        Matcher m = Pattern.compile("cmdstat_blmpop:calls=(\\d+)").matcher(redis.info("commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
