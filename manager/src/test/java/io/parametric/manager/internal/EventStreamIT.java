package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobEvent;
import io.parametric.manager.LoggedLines;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.TestSecret;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An event entry that cannot be read is skipped with one escaped log line; the next is delivered. */
class EventStreamIT {

    @Test
    void anUnreadableEventIsLoggedEscapedAndSkipped() throws Exception {
        List<JobEvent> seen = new CopyOnWriteArrayList<>();
        try (LoggedLines logged = LoggedLines.of(EventStream.class); Redis redis = new Redis(TestRedis.url(), 2)) {
            Fleet fleet = new Fleet(redis, new FleetKeys(TestRedis.uniqueFleet("events")), TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
            try (EventStream stream = EventStream.listen(fleet, seen::add)) {
                String events = fleet.keys().events();
                xadd(events, "kind", "PLACED\n01:00:00 INFO forged line", "job", "bad");
                xadd(events, "kind", "PLACED", "job", "good");
                await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
            }
            assertThat(seen).extracting(JobEvent::jobId).containsExactly("good");
            assertThat(logged.messages()).filteredOn(m -> m.startsWith("skipped an unreadable event"))
                    .singleElement().satisfies(m -> assertThat(m)
                            .contains("PLACED\\u000a01:00:00 INFO forged line").doesNotContain("\n"));
        }
    }

    /** An entry written behind the scripts' back, as anyone with access to the Redis could (redis-cli 7 reads no password from redis://:secret@: name the default user). */
    private static void xadd(String key, String... fields) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-u", TestRedis.url().replace("redis://:", "redis://default:"), "--no-auth-warning", "XADD", key, "*"));
        command.addAll(List.of(fields));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("redis-cli: %s", out).isZero();
    }
}
