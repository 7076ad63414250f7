package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ClassFingerprintTest {

    @Test
    void isTheSha256OfTheClassFileAndTheSameWhenAskedAgain() throws Exception {
        byte[] bytes;
        try (InputStream in = ClassFingerprintTest.class.getResourceAsStream("ClassFingerprintTest.class")) {
            bytes = in.readAllBytes();
        }
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(ClassFingerprint.of(ClassFingerprintTest.class)).isEqualTo(expected);
        assertThat(ClassFingerprint.of(ClassFingerprintTest.class)).isEqualTo(expected);
        assertThat(ClassFingerprint.of(String.class)).isNotEqualTo(expected).hasSize(64);
    }

    @Test
    void aClassWithoutAClassFileCannotBeFingerprintedAndSaysWhich() {
        Runnable lambda = () -> { };
        assertThatThrownBy(() -> ClassFingerprint.of(lambda.getClass()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(lambda.getClass().getName());
    }
}
