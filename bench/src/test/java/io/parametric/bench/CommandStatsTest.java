package io.parametric.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandStatsTest {

    private static final String BEFORE = """
            # Commandstats\r
            cmdstat_evalsha:calls=10,usec=100,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            """;
    private static final String AFTER = """
            # Commandstats\r
            cmdstat_evalsha:calls=40,usec=400,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_blmove:calls=10,usec=30,usec_per_call=3.00,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=5,usec=50,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_config|set:calls=2,usec=50,usec_per_call=25.00,rejected_calls=0,failed_calls=0\r
            """;

    @Test
    void deltaWithoutTheBenchmarksOwnCommandsCountsPerJob() {
        CommandStats delta = CommandStats.parse(AFTER).minus(CommandStats.parse(BEFORE)).without("info", "config");

        assertThat(delta.calls()).containsOnlyKeys("evalsha", "blmove");
        assertThat(delta.total()).isEqualTo(40);
        assertThat(delta.top(10, 5)).isEqualTo("evalsha 3.00, blmove 1.00");
    }
}
