package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LuaScriptsTest {

    private static final LuaScripts TWO = LuaScripts.load("place.lua", "take.lua");

    @Test
    void scriptsAreOneLibraryNamedByTheHashOfItsCodeWithAFunctionEach() {
        assertThat(TWO.name()).matches("pp_[0-9a-f]{16}");
        assertThat(LuaScripts.load("place.lua", "take.lua").name()).as("the same code, the same name").isEqualTo(TWO.name());
        assertThat(LuaScripts.load("place.lua").name()).as("other code, another name").isNotEqualTo(TWO.name());
        assertThat(TWO.library()).startsWith("#!lua name=" + TWO.name() + "\n" + TWO.code())
                .endsWith(LuaLibrary.registration(TWO.name() + "_place", "place") + LuaLibrary.registration(TWO.name() + "_take", "take"));
        assertThat(TWO.code()).containsOnlyOnce("local function take_jobs(");
    }

    @Test
    void aScriptIsCalledByTheLibrarysNameAndItsOwn() {
        LuaScript place = TWO.script("place.lua");
        assertThat(place.function()).isEqualTo(TWO.name() + "_place");
        assertThat(place.library()).isEqualTo(TWO.library());
        assertThat(place.repeatSafe()).isTrue();
        assertThat(LuaScript.load("mirror-test.lua").function()).matches("pp_[0-9a-f]{16}_mirror_test");
        assertThatThrownBy(() -> TWO.script("finish.lua")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no script finish.lua");
    }

    @Test
    void aNamedLibraryKeepsItsCodeUnderTheNameGiven() {
        LuaScripts named = TWO.named(new byte[] {(byte) 0xab, 1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(named.name()).isEqualTo("pp_ab01020304050607");
        assertThat(named.code()).isEqualTo(TWO.code());
        assertThat(named.script("take.lua").function()).isEqualTo("pp_ab01020304050607_take");
        assertThat(named.library()).startsWith("#!lua name=pp_ab01020304050607\n")
                .contains("redis.register_function('pp_ab01020304050607_place'");
    }
}
