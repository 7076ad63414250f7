package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.ProtocolSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Scripts run as Redis Functions libraries: a call or a batch that finds Redis without a script's
 * library loads it and is sent again, and a library keeps no settings of one call for the next.
 */
class FunctionLoadingIT {

    private static final LuaScripts LIBRARY = LuaScripts.load("mirror-test.lua");
    /** Returns every key lib.lua builds from the prefix of its settings (LibMirrorIT). */
    private static final LuaScript MIRROR = LIBRARY.script("mirror-test.lua");

    @Test
    void aCallAndABatchLoadTheLibraryWhenRedisHasNone() {
        try (LocalRedisServer server = LocalRedisServer.start(false); Redis redis = new Redis(server.url(), 2);
             Jedis admin = new Jedis(URI.create(server.url()))) {
            assertThat(admin.functionList(LIBRARY.name())).isEmpty();
            assertThat(firstKey(redis.eval(MIRROR, List.of(), settings("pp:{a}:")))).startsWith("pp:{a}:");
            assertThat(admin.functionList(LIBRARY.name())).as("loaded by the call").hasSize(1);

            admin.functionFlush();
            List<Object> replies = redis.batch(b -> {
                b.exists("pp:{b}:pids");
                b.eval(MIRROR, List.of("pp:{b}:pids"), settings("pp:{b}:"));
            });
            assertThat(replies.get(0)).isEqualTo(false);
            assertThat(firstKey(replies.get(1))).startsWith("pp:{b}:");
            assertThat(admin.functionList(LIBRARY.name())).as("loaded by the batch").hasSize(1);
        }
    }

    @Test
    void eachCallReadsItsOwnSettingsThoughTheLibraryKeepsTheLastOnesParsed() {
        try (LocalRedisServer server = LocalRedisServer.start(false); Redis redis = new Redis(server.url(), 1)) {
            for (String prefix : List.of("pp:{a}:", "pp:{a}:", "pp:{b}:", "pp:{a}:")) {
                assertThat(firstKey(redis.eval(MIRROR, List.of(), settings(prefix)))).startsWith(prefix);
            }
        }
    }

    private static List<String> settings(String prefix) {
        return List.of(new ProtocolSettings(prefix, Duration.ofHours(1), 10, 1000).argv());
    }

    private static String firstKey(Object reply) {
        return (String) ((List<?>) reply).get(0);
    }
}
