package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.redis.LuaScript;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** lib.lua's key helpers and return codes, run in a real Redis, agree with FleetKeys and ScriptCode. */
class LibMirrorIT {

    private static final FleetKeys KEYS = new FleetKeys("mirror");

    private List<?> mirror() {
        try (Redis redis = new Redis(TestRedis.url(), 1)) {
            return (List<?>) redis.eval(LuaScript.load("mirror-test.lua"), List.of(),
                    List.of(new ProtocolSettings(KEYS.prefix(), Duration.ofHours(1), 10, 1000).argv()));
        }
    }

    @Test
    void everyKeyHelperBuildsWhatFleetKeysBuilds() {
        List<?> reply = mirror();
        List<String> fromLua = new ArrayList<>();
        for (Object key : reply.subList(0, reply.size() - 1)) {
            fromLua.add(((String) key).substring(KEYS.prefix().length()));
        }
        assertThat(fromLua).containsExactlyElementsOf(FleetKeyPatterns.of(KEYS).values());
    }

    @Test
    void fleetKeysHasNoKeyWithoutAHelperInLibLua() {
        assertThat(FleetKeyPatterns.of(KEYS).keySet()).as("FleetKeys methods covered by lib.lua's k_* functions")
                .containsExactlyInAnyOrderElementsOf(FleetKeyPatterns.keyMethods());
        long helpers = Arrays.stream(LuaScript.load("mirror-test.lua").library().split("\n"))
                .filter(l -> l.startsWith("local function k_")).count();
        assertThat(helpers).as("k_* functions in lib.lua").isEqualTo(FleetKeyPatterns.keyMethods().size());
    }

    @Test
    void everyReturnCodeIsTheSameInLuaAndJava() {
        List<?> reply = mirror();
        Map<String, Integer> lua = Arrays.stream(((String) reply.get(reply.size() - 1)).split(","))
                .map(pair -> pair.split("="))
                .collect(Collectors.toMap(p -> p[0], p -> Integer.parseInt(p[1])));
        Map<String, Integer> java = Arrays.stream(ScriptCode.values())
                .collect(Collectors.toMap(Enum::name, ScriptCode::code));
        assertThat(lua).isEqualTo(java);
    }
}
