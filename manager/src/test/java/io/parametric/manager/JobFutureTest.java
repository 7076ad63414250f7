package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manager's own bookkeeping on a job's future: one dependent for all of it, each action run once. */
class JobFutureTest {

    private static JobFuture<Object> future() {
        return new JobFuture<>("j1", Object.class, jobId -> new ProcessBackend.Progress(null, 0), jobId -> {});
    }

    @Test
    void bookkeepingRegisteredBeforeTheEndRunsOnceInOrderFromOneDependent() {
        JobFuture<Object> f = future();
        List<String> ran = new ArrayList<>();
        f.onDone(() -> ran.add("track"));
        f.onDone(() -> ran.add("route"));
        f.onDone(() -> ran.add("placed"));

        assertThat(f.getNumberOfDependents()).isEqualTo(1);
        assertThat(f.completesQuietly()).as("bookkeeping is no stage anyone chained").isTrue();
        assertThat(ran).isEmpty();

        f.complete(5);
        f.complete(6);
        assertThat(ran).containsExactly("track", "route", "placed");
    }

    @Test
    void bookkeepingRegisteredAfterTheEndRunsAtOnce() {
        JobFuture<Object> f = future();
        List<String> ran = new ArrayList<>();
        f.complete(5);
        f.onDone(() -> ran.add("first"));
        f.onDone(() -> ran.add("second"));
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void aStageChainedBesideTheBookkeepingMakesItsCompletionNoLongerQuiet() {
        JobFuture<Object> f = future();
        f.onDone(() -> { });
        f.thenRun(() -> { });
        assertThat(f.completesQuietly()).isFalse();
    }
}
