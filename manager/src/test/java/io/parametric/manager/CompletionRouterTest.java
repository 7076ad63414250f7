package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.protocol.Outcome;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompletionRouterTest {

    private final CompletionRouter router = new CompletionRouter();

    private static JobFuture<Object> future(String id) {
        return new JobFuture<>(id, Object.class, jobId -> new ProcessBackend.Progress(null, 0), jobId -> {});
    }

    @Test
    void anOutcomeCompletesTheFutureRoutedForItsJobOnce() throws Exception {
        JobFuture<Object> f = future("j1");
        router.route(f);
        assertThat(router.find("j1")).isSameAs(f);
        router.deliver(Outcome.failure("j1", 3, "JOB_FAILED", "first", 1));
        router.deliver(Outcome.failure("j1", 3, "JOB_FAILED", "a duplicate", 1));
        assertThat(f).failsWithin(10, TimeUnit.SECONDS);
        assertThat(f.pid()).isEqualTo(3L);
        assertThat(router.find("j1")).isNull();
    }

    @Test
    void anOutcomeForAJobNobodyWaitsForIsIgnoredAndAnUnroutedFutureGetsNothing() {
        JobFuture<Object> f = future("j2");
        router.route(f);
        router.unroute(f);
        router.deliver(Outcome.failure("j2", 1, "JOB_FAILED", "late", 1));
        router.deliver(Outcome.failure("nobody", 1, "JOB_FAILED", "stray", 1));
        assertThat(f).isNotDone();
        assertThat(router.find("j2")).isNull();
    }

    @Test
    void theHighestPidHandedOutOnlyGrows() {
        router.handedOut(7);
        router.handedOut(3);
        assertThat(router.highestPid()).isEqualTo(7);
    }
}
