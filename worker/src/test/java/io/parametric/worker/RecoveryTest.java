package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private static ProcessError unavailable() {
        return new ProcessError(ProcessError.Reason.REDIS_UNAVAILABLE, "Redis at redis://x does not answer");
    }

    @Test
    void connectionErrorsAreWaitedOutAndCountedAsOneOutage() {
        Recovery recovery = new Recovery();
        AtomicInteger calls = new AtomicInteger();
        String result = recovery.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw unavailable();
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        assertThat(recovery.outages()).isEqualTo(1);
        assertThat(recovery.isDown()).isFalse();
    }

    @Test
    void anUntrustedTlsCertificateIsNotWaitedOutUntilRedisAnsweredOnce() {
        ProcessError untrusted = new ProcessError(ProcessError.Reason.REDIS_UNAVAILABLE, "Redis at rediss://x does not answer",
                new RuntimeException(new javax.net.ssl.SSLHandshakeException("PKIX path building failed") {
                    {
                        initCause(new java.security.cert.CertificateException("unable to find valid certification path"));
                    }
                }));
        Recovery recovery = new Recovery();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> recovery.call(() -> {
            calls.incrementAndGet();
            throw untrusted;
        })).isSameAs(untrusted);
        assertThat(calls).as("not retried: a configuration error").hasValue(1);

        recovery.call(() -> "answered");
        String later = recovery.call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw untrusted; // once Redis answered, the same failure is an outage (a certificate being replaced)
            }
            return "ok";
        });
        assertThat(later).isEqualTo("ok");
        assertThat(Recovery.isUntrustedCertificate(unavailable())).isFalse();
    }

    @Test
    void dataErrorsGoBackToTheCallerAtOnce() {
        Recovery recovery = new Recovery();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> recovery.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("WRONGTYPE");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);
        assertThat(recovery.outages()).isZero();
    }

    @Test
    void callerMayGiveUpDuringAnOutage() {
        Recovery recovery = new Recovery();
        assertThatThrownBy(() -> recovery.call(() -> {
            throw unavailable();
        }, () -> true)).isInstanceOf(Recovery.GaveUp.class);
        assertThat(recovery.isDown()).isTrue();
    }

    @Test
    void interruptedWaitEndsWithTheConnectionError() {
        Recovery recovery = new Recovery();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> recovery.call(() -> {
                throw unavailable();
            })).isInstanceOf(ProcessError.class);
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
