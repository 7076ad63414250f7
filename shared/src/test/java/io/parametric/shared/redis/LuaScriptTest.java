package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LuaScriptTest {

    @Test
    void aScriptIsALibraryNamedByTheHashOfItsCodeThatRegistersOneFunctionOfThatName() {
        LuaScript place = LuaScript.load("place.lua");
        assertThat(place.function()).matches("pp_[0-9a-f]{16}");
        assertThat(LuaScript.load("place.lua").function()).as("the same code, the same name").isEqualTo(place.function());
        assertThat(LuaScript.load("take.lua").function()).as("other code, another name").isNotEqualTo(place.function());
        assertThat(place.library()).startsWith("#!lua name=" + place.function() + "\n" + place.code())
                .endsWith("redis.register_function('" + place.function() + "', " + LuaLibrary.CALL + ")\n");
        assertThat(place.repeatSafe()).isTrue();
    }

    @Test
    void aNamedScriptKeepsItsCodeUnderTheNameGiven() {
        LuaScript place = LuaScript.load("place.lua");
        LuaScript named = place.named(new byte[] {(byte) 0xab, 1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(named.function()).isEqualTo("pp_ab01020304050607");
        assertThat(named.code()).isEqualTo(place.code());
        assertThat(named.library()).startsWith("#!lua name=pp_ab01020304050607\n").contains("redis.register_function('pp_ab01020304050607'");
    }
}
