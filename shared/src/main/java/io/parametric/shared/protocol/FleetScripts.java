package io.parametric.shared.protocol;

import io.parametric.shared.redis.LuaScript;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * The protocol's scripts as one fleet calls them. Redis Functions are named by whoever loads them,
 * and a Redis user allowed {@code FUNCTION LOAD} may replace any library whose name it knows; a
 * fleet's scripts are therefore named by an HMAC of their code with the fleet secret
 * ({@link LuaScript#named}), which another fleet's user (with its own secret and ACL) cannot know.
 * An insecure fleet calls them under the hash of their code. The managers and workers of one
 * fleet, sharing its secret, share its libraries.
 */
record FleetScripts(LuaScript register, LuaScript heartbeat, LuaScript place, LuaScript take, LuaScript finish,
                    LuaScript close, LuaScript reap, LuaScript cancel, LuaScript schedule, LuaScript requeue,
                    LuaScript progress, LuaScript watch, LuaScript stats) {

    private static final FleetScripts LOADED = new FleetScripts(LuaScript.load("register.lua"),
            LuaScript.load("heartbeat.lua"), LuaScript.load("place.lua"), LuaScript.load("take.lua"),
            LuaScript.load("finish.lua"), LuaScript.load("close.lua"), LuaScript.load("reap.lua"),
            LuaScript.load("cancel.lua"), LuaScript.load("schedule.lua"), LuaScript.load("requeue.lua"),
            LuaScript.load("progress.lua"), LuaScript.load("watch.lua"), LuaScript.load("stats.lua"));

    /**
     * @param secret the fleet secret
     * @return the scripts named for that secret's fleet
     */
    static FleetScripts of(FleetSecret secret) {
        if (secret.isInsecure()) {
            return LOADED;
        }
        return LOADED.map(script -> script.named(
                Base64.getUrlDecoder().decode(secret.sign(script.code().getBytes(StandardCharsets.UTF_8)))));
    }

    private FleetScripts map(UnaryOperator<LuaScript> f) {
        return new FleetScripts(f.apply(register), f.apply(heartbeat), f.apply(place), f.apply(take), f.apply(finish),
                f.apply(close), f.apply(reap), f.apply(cancel), f.apply(schedule), f.apply(requeue),
                f.apply(progress), f.apply(watch), f.apply(stats));
    }
}
