package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobTrackerTest {

    private final CompletionRouter router = new CompletionRouter();
    private final JobTracker tracker = new JobTracker(router);

    private static JobFuture<Object> future(String id) {
        return new JobFuture<>(id, Object.class, jobId -> new ProcessBackend.Progress(null, 0), jobId -> {});
    }

    @Test
    void waitForSeesTheUnfinishedJobsOfAPidAndTheLastOne() {
        JobFuture<Object> a = future("a");
        JobFuture<Object> b = future("b");
        tracker.arm(List.of(a, b));
        tracker.placed(5, a);
        tracker.placed(5, b);
        assertThat(tracker.snapshot(5).unfinished()).containsExactly(a, b);
        assertThat(tracker.snapshot(5).last()).isSameAs(b);
        a.complete(1);
        assertThat(tracker.snapshot(5).unfinished()).containsExactly(b);
        assertThat(tracker.snapshot(6).last()).isNull();
    }

    @Test
    void aFinishedJobIsStillFoundByIdAndAnArmedOneIsRouted() {
        JobFuture<Object> a = future("a");
        tracker.arm(List.of(a));
        assertThat(router.find("a")).isSameAs(a);
        a.complete("done");
        assertThat(tracker.find("a")).isSameAs(a);
        assertThat(tracker.unfinished()).isEmpty();
    }

    @Test
    void onlyPlacedJobsAreSweptAndADisarmedOneIsForgotten() {
        JobFuture<Object> placed = future("placed");
        JobFuture<Object> armed = future("armed");
        JobFuture<Object> failed = future("failed");
        tracker.arm(List.of(placed, armed, failed));
        placed.placed();
        tracker.disarm(failed);
        assertThat(tracker.all()).containsExactly("placed");
        assertThat(tracker.next(10)).containsExactly("placed");
        assertThat(tracker.find("failed")).isNull();
        assertThat(tracker.unfinished()).containsExactlyInAnyOrder(placed, armed);
    }

    @Test
    void eachSweepLooksAtTheNextJobsAndStartsOverAfterTheLast() {
        List<JobFuture<Object>> jobs = List.of(future("a"), future("b"), future("c"), future("d"), future("e"));
        tracker.arm(jobs);
        jobs.forEach(JobFuture::placed);
        assertThat(tracker.next(2)).containsExactly("a", "b");
        assertThat(tracker.next(2)).containsExactly("c", "d");
        jobs.get(0).complete(1);
        assertThat(tracker.next(2)).containsExactly("e", "b");
        assertThat(tracker.next(10)).containsExactly("c", "d", "e", "b");
        assertThat(tracker.all()).containsExactlyInAnyOrder("b", "c", "d", "e");
    }
}
