package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LuaLibraryTest {

    private static final LuaLibrary LIB = LuaLibrary.parse(lib());

    @Test
    void findsEveryFunctionOfLibLua() {
        long declared = lib().lines().filter(l -> l.startsWith("local function ")).count();
        assertThat(LIB.functions()).hasSize((int) declared).contains("k_jobs", "read_rec", "store_outcome", "take_jobs");
    }

    @Test
    void keepsOnlyTheFunctionsAScriptNamesAndEveryOtherStatement() {
        String text = LIB.neededBy("return k_jobs()");
        assertThat(text).contains("local function k_jobs()", "local LINE, S, ST, P", "local CODE = {", "local RUN")
                .doesNotContain("local function k_rec()", "local function store_outcome(", "local function begin_run(");
    }

    @Test
    void makesTheCodeOfAFunctionsLibraryWithAFunctionPerScriptAndRegistersThemAfterBeginRun() {
        String code = LIB.functionsCode(new java.util.LinkedHashMap<>(java.util.Map.of("jobs", "return k_jobs()")));
        assertThat(code).contains("local function begin_run(", "local function k_jobs()", "local function run_jobs(KEYS, ARGV)\nreturn k_jobs()\nend")
                .doesNotContain("local function k_rec()", "#!lua", "register_function");
        assertThat(LuaLibrary.registration("pp_x_jobs", "jobs"))
                .isEqualTo("redis.register_function('pp_x_jobs', function(keys, args)\n  begin_run(args)\n  return run_jobs(keys, args)\nend)\n");
    }

    @Test
    void keepsWhatAKeptFunctionNamesInTurnWithItsComment() {
        String text = LIB.neededBy("fail_job(id, {}, 'failed', 'X', 'y', 1, 0)");
        assertThat(text).contains("local function fail_job(", "local function store_outcome(", "local function write_fields(",
                "local function trim_finished(", "local function k_fin()", "-- Stores a job's outcome")
                .doesNotContain("local function admit(", "local function take_jobs(", "local function rehome_worker(");
        assertThat(text.indexOf("local function write_fields(")).isLessThan(text.indexOf("local function store_outcome("));
    }

    @Test
    void refusesAFunctionWithoutItsEndLine() {
        assertThatThrownBy(() -> LuaLibrary.parse("local S = {}\nlocal function broken()\n  return 1\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("broken");
    }

    private static String lib() {
        try (InputStream in = LuaLibraryTest.class.getResourceAsStream("/io/parametric/shared/lua/lib.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
