package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.redis.LuaScript;
import org.junit.jupiter.api.Test;

class FleetScriptsTest {

    @Test
    void aFleetNamesItsScriptsWithItsSecretSoAnotherFleetCannotKnowThem() {
        FleetScripts a = FleetScripts.of(FleetSecret.of("secret-of-fleet-a-0123"));
        FleetScripts b = FleetScripts.of(FleetSecret.of("secret-of-fleet-b-0123"));
        String contentName = LuaScript.load("place.lua").function();
        assertThat(a.place().function()).matches("pp_[0-9a-f]{16}").isNotEqualTo(contentName).isNotEqualTo(b.place().function());
        assertThat(a.place().code()).isEqualTo(b.place().code());
        assertThat(FleetScripts.of(FleetSecret.of("secret-of-fleet-a-0123")).place().function())
                .as("the managers and workers of one fleet share its libraries").isEqualTo(a.place().function());
        assertThat(a.take().function()).isNotEqualTo(a.place().function());
    }

    @Test
    void anInsecureFleetCallsTheScriptsUnderTheHashOfTheirCode() {
        assertThat(FleetScripts.of(FleetSecret.insecure()).finish().function()).isEqualTo(LuaScript.load("finish.lua").function());
    }
}
