package io.parametric.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.examples.Demo.Row;
import io.parametric.examples.Demo.Summary;
import io.parametric.examples.RedisChoice.Source;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class DemoIT {

    @Test
    void onWorkerProcessesTheDemoRunsEveryJobAndReportsEachWorker() {
        RedisChoice redis = RedisChoice.find();
        assertThat(redis.source()).isEqualTo(Source.CONFIGURED);

        assertRanEverything(Demo.run(redis));
    }

    @Test
    void withoutRedisTheDemoRunsOnAsyncWorkers() {
        String configured = System.clearProperty("pp.redis.url");
        try {
            assertRanEverything(Demo.run(RedisChoice.none()));
        } finally {
            System.setProperty("pp.redis.url", configured == null ? TestRedis.url() : configured);
        }
    }

    private static void assertRanEverything(Summary summary) {
        assertThat(summary.distributedTo()).hasSize(4);
        assertThat(summary.distributedRan()).isEqualTo(30L);
        assertThat(summary.waited()).isEqualTo(55);
        assertThat(summary.x()).isEqualTo(25L);
        assertThat(summary.rows()).hasSize(4);
        assertThat(summary.rows().stream().mapToLong(Row::jobsRun).sum()).isEqualTo(30 + 1 + 20);
        assertThat(summary.rows()).allSatisfy(row -> assertThat(row.latestReturn()).isNotNull());
    }
}
