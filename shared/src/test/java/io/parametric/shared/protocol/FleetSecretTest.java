package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSecretTest {

    private static final String SECRET = "a-test-secret-of-32-characters!!";
    private static final String OTHER = "another-secret-of-32-characters!";
    private static final byte[] BODY = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void signsWithHmacSha256AsBase64UrlWithoutPadding() {
        // RFC 4231, test case 1: key 0x0b x 20, data "Hi There".
        FleetSecret rfc = FleetSecret.of("\u000b".repeat(20));

        assertThat(rfc.sign("Hi There".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("sDRMYdjbOFNcqK_OrwvxK4gdwgDJgz2nJuk3bC4yz_c");
        assertThat(FleetSecret.of(SECRET).sign(BODY))
                .isEqualTo("VB5ydCOppbHPbdsrd3ATPj2o2Mf4OYjCcE-tqDGI2aw")
                .hasSize(FleetSecret.SIGNATURE_LENGTH);
    }

    @Test
    void verifiesItsOwnSignatureAndNothingElse() {
        FleetSecret secret = FleetSecret.of(SECRET);
        String signature = secret.sign(BODY);

        assertThat(secret.verify(BODY, signature)).isTrue();
        assertThat(secret.verify("{\"id\":\"2\"}".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(FleetSecret.of(OTHER).verify(BODY, signature)).isFalse();
        assertThat(secret.verify(BODY, FleetSecret.UNSIGNED)).isFalse();
        assertThat(secret.verify(BODY, signature.substring(1))).isFalse();
        assertThat(secret.verify(BODY, signature.replace(signature.charAt(0), signature.charAt(0) == 'A' ? 'B' : 'A')))
                .isFalse();
        assertThat(secret.verify(BODY, null)).isFalse();
        assertThat(secret.verify(BODY, "é".repeat(FleetSecret.SIGNATURE_LENGTH))).isFalse();
    }

    @Test
    void verifiesAPartOfAnArrayWithoutCopyingIt() {
        FleetSecret secret = FleetSecret.of(SECRET);
        byte[] framed = ("xx" + new String(BODY, StandardCharsets.UTF_8) + "yy").getBytes(StandardCharsets.UTF_8);

        assertThat(secret.sign(framed, 2, BODY.length)).isEqualTo(secret.sign(BODY));
        assertThat(secret.verify(framed, 2, BODY.length, secret.sign(BODY))).isTrue();
    }

    @Test
    void duringARotationThePreviousSecretIsAcceptedButNeverSignsAgain() {
        FleetSecret rotated = FleetSecret.of(OTHER, SECRET);

        assertThat(rotated.verify(BODY, FleetSecret.of(SECRET).sign(BODY))).isTrue();
        assertThat(rotated.verify(BODY, rotated.sign(BODY))).isTrue();
        assertThat(rotated.sign(BODY)).isEqualTo(FleetSecret.of(OTHER).sign(BODY));
        assertThat(FleetSecret.of(SECRET).verify(BODY, rotated.sign(BODY))).isFalse();
    }

    @Test
    void insecureSignsWithADashAndAcceptsSignedAndUnsignedAlike() {
        FleetSecret insecure = FleetSecret.insecure();

        assertThat(insecure.isInsecure()).isTrue();
        assertThat(insecure.sign(BODY)).isEqualTo(FleetSecret.UNSIGNED);
        assertThat(insecure.verify(BODY, FleetSecret.UNSIGNED)).isTrue();
        assertThat(insecure.verify(BODY, FleetSecret.of(SECRET).sign(BODY))).isTrue();
        assertThat(insecure.warning()).get().asString().contains("PP_INSECURE", "PP_SECRET");
        assertThat(FleetSecret.of(SECRET).warning()).isEmpty();
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> FleetSecret.of("short-secret"))
                .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(ProcessError.Reason.NOT_ALLOWED))
                .hasMessageContaining("12 characters, fewer than 16")
                .hasMessageContaining("PP_SECRET")
                .hasMessageNotContaining("short-secret");
        // Characters, not bytes: 16 two-byte letters are enough.
        assertThat(FleetSecret.of("é".repeat(16)).isInsecure()).isFalse();
    }

    @Test
    void generatedSecretsAreLongAndDifferent() {
        Map<String, String> a = new HashMap<>();
        Map<String, String> b = new HashMap<>();
        FleetSecret.generate().passTo(a);
        FleetSecret.generate().passTo(b);

        assertThat(a.get("PP_SECRET")).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(b.get("PP_SECRET"));
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(FleetSecret.of(SECRET, OTHER).toString())
                .isEqualTo("FleetSecret[set, previous accepted]")
                .doesNotContain(SECRET, OTHER);
        assertThat(FleetSecret.of(SECRET)).hasToString("FleetSecret[set]");
        assertThat(FleetSecret.insecure()).hasToString("FleetSecret[insecure]");
    }

    @Test
    void theEnvironmentWinsOverTheFileAndTheFileOverTheProperty() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), OTHER + "\n");
        String signedByEnv = FleetSecret.of(SECRET).sign(BODY);
        String signedByFile = FleetSecret.of(OTHER).sign(BODY);

        assertThat(configured(Map.of("PP_SECRET", SECRET, "PP_SECRET_FILE", file.toString()), Map.of("pp.secret", OTHER))
                .orElseThrow().sign(BODY)).isEqualTo(signedByEnv);
        assertThat(configured(Map.of("PP_SECRET_FILE", file.toString()), Map.of("pp.secret", SECRET))
                .orElseThrow().sign(BODY)).isEqualTo(signedByFile);
        assertThat(configured(Map.of(), Map.of("pp.secret", SECRET)).orElseThrow().sign(BODY)).isEqualTo(signedByEnv);
        assertThat(configured(Map.of(), Map.of())).isEmpty();
    }

    @Test
    void anEmptySettingCountsAsUnset() {
        assertThat(configured(Map.of("PP_SECRET", "", "PP_SECRET_FILE", "", "PP_SECRET_PREVIOUS", "", "PP_INSECURE", ""),
                Map.of("pp.secret", SECRET)).orElseThrow().sign(BODY)).isEqualTo(FleetSecret.of(SECRET).sign(BODY));
        assertThat(configured(Map.of("PP_SECRET", ""), Map.of())).isEmpty();
    }

    @Test
    void theFileLosesItsTrailingLineBreakOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), " " + SECRET + "\r\n");

        assertThat(configured(Map.of("PP_SECRET_FILE", file.toString()), Map.of()).orElseThrow().sign(BODY))
                .isEqualTo(FleetSecret.of(" " + SECRET).sign(BODY));
    }

    @Test
    void anUnreadableFileIsNamedButItsContentNeverShown() throws Exception {
        Path missing = dir.resolve("no-such-secret");
        Path notUtf8 = Files.write(dir.resolve("binary"), new byte[] {'q', 'z', 'x', (byte) 0xff, (byte) 0xfe, 'q'});

        assertThatThrownBy(() -> configured(Map.of("PP_SECRET_FILE", missing.toString()), Map.of()))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("NoSuchFileException");
        assertThatThrownBy(() -> configured(Map.of("PP_SECRET_FILE", notUtf8.toString()), Map.of()))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining(notUtf8.toString())
                .hasMessageNotContaining("qzx");
        Path huge = Files.writeString(dir.resolve("huge"), "qzx".repeat(2000));
        assertThatThrownBy(() -> configured(Map.of("PP_SECRET_FILE", huge.toString()), Map.of()))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("more than 4096 bytes")
                .hasMessageNotContaining("qzx");
    }

    @Test
    void aShortSecretNamesWhereItCameFrom() throws Exception {
        Path file = Files.writeString(dir.resolve("short"), "qzxq\n");

        assertThatThrownBy(() -> configured(Map.of("PP_SECRET_FILE", file.toString()), Map.of()))
                .hasMessageContaining(file.toString()).hasMessageContaining("4 characters").hasMessageNotContaining("qzxq");
        assertThatThrownBy(() -> configured(Map.of("PP_SECRET", "fifteen-chars!!"), Map.of()))
                .hasMessageContaining("from PP_SECRET has 15 characters");
        assertThatThrownBy(() -> configured(Map.of("PP_SECRET", SECRET, "PP_SECRET_PREVIOUS", "qzxq"), Map.of()))
                .hasMessageContaining("previous fleet secret").hasMessageNotContaining("qzxq");
    }

    @Test
    void thePreviousSecretComesFromTheEnvironmentOrAProperty() {
        String oldSignature = FleetSecret.of(OTHER).sign(BODY);

        assertThat(configured(Map.of("PP_SECRET", SECRET, "PP_SECRET_PREVIOUS", OTHER), Map.of())
                .orElseThrow().verify(BODY, oldSignature)).isTrue();
        assertThat(configured(Map.of(), Map.of("pp.secret", SECRET, "pp.secret.previous", OTHER))
                .orElseThrow().verify(BODY, oldSignature)).isTrue();
        assertThatThrownBy(() -> configured(Map.of("PP_SECRET_PREVIOUS", OTHER), Map.of()))
                .hasMessageContaining("no current secret");
    }

    @Test
    void insecureIsAnExplicitChoiceThatExcludesASecret() {
        assertThat(configured(Map.of("PP_INSECURE", "1"), Map.of()).orElseThrow().isInsecure()).isTrue();
        assertThat(configured(Map.of(), Map.of("pp.insecure", "true")).orElseThrow().isInsecure()).isTrue();
        assertThat(configured(Map.of("PP_INSECURE", "0"), Map.of())).isEmpty();
        assertThatThrownBy(() -> configured(Map.of("PP_INSECURE", "1", "PP_SECRET", SECRET), Map.of()))
                .hasMessageContaining("both set");
        assertThatThrownBy(() -> configured(Map.of("PP_INSECURE", "maybe"), Map.of()))
                .hasMessageContaining("PP_INSECURE must be 1 or 0");
    }

    @Test
    void aMissingSecretSaysExactlyHowToSetOne() {
        ProcessError e = FleetSecret.missing();

        assertThat(e.reason()).isEqualTo(ProcessError.Reason.NOT_ALLOWED);
        assertThat(e).hasMessageContaining("PP_SECRET").hasMessageContaining("PP_SECRET_FILE")
                .hasMessageContaining("pp.secret").hasMessageContaining("PP_INSECURE=1").hasMessageContaining("SECURITY.md");
    }

    @Test
    void aChildProcessGetsTheSecretInItsEnvironmentAndNothingStale() {
        Map<String, String> env = new HashMap<>(Map.of("PP_SECRET_FILE", "/run/secrets/old", "PP_INSECURE", "1",
                "PP_SECRET_PREVIOUS", "stale-previous-secret"));
        FleetSecret.of(SECRET).passTo(env);
        assertThat(env).containsExactly(Map.entry("PP_SECRET", SECRET));

        FleetSecret.of(SECRET, OTHER).passTo(env);
        assertThat(env).containsOnly(Map.entry("PP_SECRET", SECRET), Map.entry("PP_SECRET_PREVIOUS", OTHER));

        FleetSecret.insecure().passTo(env);
        assertThat(env).containsExactly(Map.entry("PP_INSECURE", "1"));
    }

    private static Optional<FleetSecret> configured(Map<String, String> env, Map<String, String> properties) {
        return FleetSecret.configured(env::get, properties::get);
    }
}
