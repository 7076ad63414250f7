package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrowableTextTest {

    /** Throws itself from getMessage(), so toString() and printStackTrace() throw it too. */
    static final class Unprintable extends RuntimeException {
        @Override
        public String getMessage() {
            throw this;
        }
    }

    @Test
    void describesAnOrdinaryThrowableLikeToString() {
        IllegalStateException e = new IllegalStateException("boom");
        assertThat(ThrowableText.describe(e)).isEqualTo(e.toString());
        assertThat(ThrowableText.message(e)).isEqualTo("boom");
        assertThat(ThrowableText.message(new RuntimeException())).isEqualTo("null");
        assertThat(ThrowableText.stackTrace(e)).startsWith("java.lang.IllegalStateException: boom").contains("ThrowableTextTest");
    }

    @Test
    void aThrowableWhoseMethodsThrowIsStillDescribed() {
        Unprintable e = new Unprintable();
        assertThat(ThrowableText.message(e)).isEqualTo("(getMessage() threw " + Unprintable.class.getName() + ")");
        assertThat(ThrowableText.messageOrNull(e)).isNull();
        assertThat(ThrowableText.describe(e)).startsWith(Unprintable.class.getName() + ": (getMessage() threw");
        assertThat(ThrowableText.stackTrace(e)).contains("(printing its stack trace threw")
                .contains("\tat io.parametric.shared.protocol.ThrowableTextTest.aThrowableWhoseMethodsThrowIsStillDescribed");
    }

    @Test
    void causesEndAtACycleAndAtAGetCauseThatThrows() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(ThrowableText.causes(b)).containsExactly(b, a);

        RuntimeException broken = new RuntimeException("broken") {
            @Override
            public synchronized Throwable getCause() {
                throw new UnsupportedOperationException();
            }
        };
        assertThat(ThrowableText.causes(new RuntimeException(broken))).hasSize(2);
    }

    @Test
    void aLongStackTraceIsTrimmed() {
        RuntimeException deep = new RuntimeException("x".repeat(40_000));
        assertThat(ThrowableText.stackTrace(deep)).hasSizeLessThan(17_000).endsWith("... (trimmed)");
    }
}
