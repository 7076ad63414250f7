package io.parametric.shared.protocol;

import io.parametric.shared.redis.LuaScript;
import io.parametric.shared.redis.LuaScripts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The protocol's scripts as one fleet calls them: one Redis Functions library ({@link LuaScripts}).
 * A Redis user allowed {@code FUNCTION LOAD} may replace any library whose name it knows, so a
 * fleet names its library by an HMAC of the code with the fleet secret ({@link LuaScripts#named}),
 * which another fleet's user (with its own secret and ACL) cannot know. An insecure fleet uses the
 * hash of the code. The managers and workers of one fleet and build, sharing its secret and code,
 * share its library.
 */
record FleetScripts(LuaScript register, LuaScript heartbeat, LuaScript place, LuaScript take, LuaScript finish,
                    LuaScript close, LuaScript reap, LuaScript cancel, LuaScript schedule, LuaScript requeue,
                    LuaScript progress, LuaScript watch, LuaScript stats) {

    private static final LuaScripts LOADED = LuaScripts.load("register.lua", "heartbeat.lua", "place.lua", "take.lua",
            "finish.lua", "close.lua", "reap.lua", "cancel.lua", "schedule.lua", "requeue.lua", "progress.lua",
            "watch.lua", "stats.lua");

    /**
     * @param secret the fleet secret
     * @return the scripts in the library named for that secret's fleet
     */
    static FleetScripts of(FleetSecret secret) {
        LuaScripts library = secret.isInsecure() ? LOADED : LOADED.named(
                Base64.getUrlDecoder().decode(secret.sign(LOADED.code().getBytes(StandardCharsets.UTF_8))));
        return new FleetScripts(library.script("register.lua"), library.script("heartbeat.lua"),
                library.script("place.lua"), library.script("take.lua"), library.script("finish.lua"),
                library.script("close.lua"), library.script("reap.lua"), library.script("cancel.lua"),
                library.script("schedule.lua"), library.script("requeue.lua"), library.script("progress.lua"),
                library.script("watch.lua"), library.script("stats.lua"));
    }
}
