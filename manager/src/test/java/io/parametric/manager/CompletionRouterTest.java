package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.util.concurrent.CompletableFuture;
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
    void aFutureOnlyWaitedForCompletesWhereItsOutcomeArrivesAndOneWithAStageOnThePool() throws Exception {
        JobFuture<Object> waited = future("j3");
        router.route(waited);
        Thread waiter = new Thread(waited::join);
        waiter.start();
        await().until(() -> waited.getNumberOfDependents() == 2);
        assertThat(waited.completesQuietly()).as("its routing and a thread in join").isTrue();
        router.deliver(Outcome.success("j3", 1, Json.tree(5), 1));
        assertThat(waited).as("completed on the delivering thread").isCompletedWithValue(5);
        waiter.join(10_000);

        JobFuture<Object> chained = future("j4");
        router.route(chained);
        String[] ranOn = new String[1];
        chained.thenRun(() -> ranOn[0] = Thread.currentThread().getName());
        assertThat(chained.completesQuietly()).isFalse();
        router.deliver(Outcome.success("j4", 1, Json.tree(6), 1));
        await().until(() -> ranOn[0] != null);
        assertThat(ranOn[0]).as("a chained stage runs on the pool").isEqualTo("pp-complete");

        JobFuture<Object> inAllOf = future("j5");
        router.route(inAllOf);
        CompletableFuture<Void> all = CompletableFuture.allOf(inAllOf);
        assertThat(inAllOf.completesQuietly()).as("allOf chains a relay without making a stage from it").isFalse();
        router.deliver(Outcome.success("j5", 1, Json.tree(7), 1));
        assertThat(all).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void theHighestPidHandedOutOnlyGrows() {
        router.handedOut(7);
        router.handedOut(3);
        assertThat(router.highestPid()).isEqualTo(7);
    }
}
