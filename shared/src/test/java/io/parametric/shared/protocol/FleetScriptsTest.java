package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.redis.LuaScript;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FleetScriptsTest {

    @Test
    void aFleetNamesItsLibraryWithItsSecretSoAnotherFleetCannotKnowIt() {
        FleetScripts a = FleetScripts.of(FleetSecret.of("secret-of-fleet-a-0123"));
        FleetScripts b = FleetScripts.of(FleetSecret.of("secret-of-fleet-b-0123"));
        assertThat(a.place().function()).matches("pp_[0-9a-f]{16}_place").isNotEqualTo(b.place().function())
                .isNotEqualTo(FleetScripts.of(FleetSecret.insecure()).place().function());
        assertThat(code(a.place())).isEqualTo(code(b.place()));
        assertThat(FleetScripts.of(FleetSecret.of("secret-of-fleet-a-0123")).place().function())
                .as("the managers and workers of one fleet share its library").isEqualTo(a.place().function());
        assertThat(a.take().function()).isEqualTo(a.place().function().replace("_place", "_take"));
        assertThat(a.take().library()).as("one library for all the scripts").isEqualTo(a.place().library());
    }

    @Test
    void anInsecureFleetNamesItsLibraryByTheSha1OfItsCode() throws Exception {
        LuaScript finish = FleetScripts.of(FleetSecret.insecure()).finish();
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(code(finish).getBytes(StandardCharsets.UTF_8)));
        assertThat(finish.function()).isEqualTo("pp_" + sha1.substring(0, 16) + "_finish");
    }

    /** The library's code: between its name line and its registrations. */
    private static String code(LuaScript script) {
        String library = script.library();
        return library.substring(library.indexOf('\n') + 1, library.indexOf("redis.register_function("));
    }
}
