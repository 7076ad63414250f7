package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.SignedForm.Malformed;
import io.parametric.shared.protocol.SignedForm.Parts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignedFormTest {

    private static final FleetSecret SECRET = FleetSecret.of("a-test-secret-of-32-characters!!");
    private static final String BODY = "{\"id\":\"1\",\"form\":\"type\",\"type\":\"noop\"}";

    @Test
    void aSealedEntryIsVersionSignatureAndBodySeparatedBySpaces() {
        byte[] entry = SignedForm.seal(SECRET, bytes(BODY));

        assertThat(text(entry)).isEqualTo("2 " + SECRET.sign(bytes(BODY)) + " " + BODY);
        assertThat(text(SignedForm.seal(FleetSecret.insecure(), bytes(BODY)))).isEqualTo("2 - " + BODY);
    }

    @Test
    void openingASealedEntryFindsItsBodyInPlace() {
        byte[] entry = SignedForm.seal(SECRET, bytes(BODY));

        Parts parts = (Parts) SignedForm.open(SECRET, entry);

        assertThat(parts.version()).isEqualTo(2);
        assertThat(parts.unsigned()).isFalse();
        assertThat(new String(entry, parts.bodyOffset(), entry.length - parts.bodyOffset(), StandardCharsets.UTF_8))
                .isEqualTo(BODY);
    }

    @Test
    void aChangedBodyOrAnotherSecretIsAWrongSignature() {
        byte[] entry = SignedForm.seal(SECRET, bytes(BODY));
        byte[] tampered = entry.clone();
        tampered[tampered.length - 3]++;

        assertThat(SignedForm.open(SECRET, tampered)).isInstanceOfSatisfying(Malformed.class,
                m -> assertThat(m.reason()).startsWith("wrong signature"));
        assertThat(SignedForm.open(FleetSecret.of("another-secret-of-32-characters!"), entry))
                .isInstanceOf(Malformed.class);
        assertThat(SignedForm.open(FleetSecret.of("another-secret-of-32-characters!", "a-test-secret-of-32-characters!!"), entry))
                .isInstanceOf(Parts.class);
    }

    @Test
    void anUnsignedEntrySplitsButOpensOnlyOnAnInsecureNode() {
        byte[] unsigned = bytes("2 - " + BODY);

        assertThat(SignedForm.split(unsigned)).isInstanceOfSatisfying(Parts.class, p -> assertThat(p.unsigned()).isTrue());
        assertThat(SignedForm.open(SECRET, unsigned)).isInstanceOfSatisfying(Malformed.class,
                m -> assertThat(m.reason()).startsWith("unsigned"));
        assertThat(SignedForm.open(FleetSecret.insecure(), unsigned)).isInstanceOf(Parts.class);
        assertThat(SignedForm.open(FleetSecret.insecure(), SignedForm.seal(SECRET, bytes(BODY)))).isInstanceOf(Parts.class);
    }

    @Test
    void otherVersionsAndProtocolOneEntriesAreNamed() {
        assertThat(reason(SignedForm.open(SECRET, bytes(BODY)))).startsWith("protocol-1 entry");
        assertThat(reason(SignedForm.open(SECRET, bytes("3 - " + BODY)))).startsWith("protocol-3 entry");
    }

    @Test
    void malformedBytesGetAReasonNeverAnException() {
        String sig = SECRET.sign(bytes(BODY));

        assertThat(reason(SignedForm.split(null))).startsWith("empty");
        assertThat(reason(SignedForm.split(new byte[0]))).startsWith("empty");
        assertThat(reason(SignedForm.split(bytes("2")))).contains("protocol version and a space");
        assertThat(reason(SignedForm.split(bytes("x 2 - {}")))).contains("protocol version and a space");
        assertThat(reason(SignedForm.split(bytes("22222 - {}")))).contains("protocol version and a space");
        assertThat(reason(SignedForm.split(bytes("2 " + sig)))).contains("no space after the signature");
        assertThat(reason(SignedForm.split(bytes("2 -")))).contains("no space after the signature");
        assertThat(reason(SignedForm.split(bytes("2  {}")))).contains("signature of 0 characters");
        assertThat(reason(SignedForm.split(bytes("2 abc {}")))).contains("signature of 3 characters");
        assertThat(reason(SignedForm.split(bytes("2 " + sig + "x {}")))).contains("longer than 43");
        assertThat(reason(SignedForm.split(bytes("2 " + sig.substring(1) + "= {}")))).contains("not base64url");
        assertThat(reason(SignedForm.split(bytes("2 " + sig.substring(1) + "\n {}")))).contains("not base64url");
    }

    @Test
    void theBodyMayBeEmptyOrHoldAnyBytes() {
        byte[] empty = bytes("2 - ");
        byte[] binary = SignedForm.join("-", new byte[] {(byte) 0xff, 0, ' ', '\n'});

        assertThat(((Parts) SignedForm.split(empty)).bodyOffset()).isEqualTo(4);
        assertThat(((Parts) SignedForm.split(binary)).bodyOffset()).isEqualTo(4);
        assertThat(Arrays.copyOfRange(binary, 4, binary.length)).containsExactly((byte) 0xff, 0, ' ', '\n');
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] wire = new byte[random.nextInt(60)];
            random.nextBytes(wire);
            if (wire.length > 2 && random.nextBoolean()) {
                wire[0] = '2';
                wire[1] = ' ';
            }
            assertThat(SignedForm.open(SECRET, wire)).isNotNull();
        }
    }

    private static String reason(SignedForm.Split split) {
        assertThat(split).isInstanceOf(Malformed.class);
        return ((Malformed) split).reason();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
