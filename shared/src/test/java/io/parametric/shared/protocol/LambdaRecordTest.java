package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A worker reads a lambda record once and keeps it for every job that names it: it is checked when read. */
class LambdaRecordTest {

    private static final LambdaRecord RECORD = new LambdaRecord("com.example.Jobs", "lambda$main$0",
            "()Ljava/lang/Object;", 6, "6c89b31805b98a38", null);

    @Test
    void readsTheRecordAManagerStored() {
        LambdaRecord.Stored stored = RECORD.stored();

        assertThat(LambdaRecord.read(stored.hash(), stored.json().getBytes(StandardCharsets.UTF_8))).isEqualTo(RECORD);
    }

    @Test
    void refusesARecordWhoseNamesHoldControlCharactersThoughItMatchesItsHash() {
        LambdaRecord.Stored stored = new LambdaRecord("com.example.Jobs", "lambda$main$0\n[forged log line]",
                "()Ljava/lang/Object;", 6, "6c89b31805b98a38", null).stored();

        assertThatThrownBy(() -> LambdaRecord.read(stored.hash(), stored.json().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    }

    @Test
    void refusesARecordRewrittenUnderAnotherRecordsHash() {
        String other = new LambdaRecord("com.example.Other", "lambda$run$1", "()V", 6, "ffff", null).json();

        assertThatThrownBy(() -> LambdaRecord.read(RECORD.stored().hash(), other.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match its hash");
    }
}
