package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.testing.TestSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 4: {@code submit} returns its future at once and a plain single-threaded loop of
 * submits is placed in batches (group commit), each job once; a placement error reaches the
 * future of the job at fault only. On a private Redis with one registered worker that runs
 * nothing ({@link RegisteredFleet}), so every job stays where placement put it.
 */
class SubmitCoalescingIT {

    private static final int JOBS = 3000;

    private RegisteredFleet local;
    private Fleet fleet;
    private long pid;

    @BeforeEach
    void start() {
        local = new RegisteredFleet();
        fleet = local.fleet("coalesce");
        pid = RegisteredFleet.register(fleet);
    }

    @AfterEach
    void stop() {
        System.clearProperty("pp.maxPayloadBytes");
        local.close();
    }

    /** @return how many jobs the fleet holds queued: the worker's list and the backlog */
    private long queued() {
        return local.redis.llen(fleet.keys().pending(pid)) + local.redis.llen(fleet.keys().backlog());
    }

    @Test
    void aSingleThreadedLoopOfSubmitsIsPlacedInBatchesEachJobOnce() {
        try (ProcessManager procs = connect(local.url(), fleet.keys().fleet(), TestSecret.VALUE)) {
            ProcessJob job = newJob(() -> 1);
            long scriptCallsBefore = local.calls("fcall");
            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                futures.add(procs.submit(job));
            }
            await().until(() -> futures.stream().allMatch(JobFuture::isPlaced));
            long scriptCalls = local.calls("fcall") - scriptCallsBefore;
            System.out.println("[measured] " + JOBS + " submits from one thread went out in " + scriptCalls + " script calls");
            // One placement per submit would be 3,000 calls.
            assertThat(scriptCalls).isLessThan(JOBS / 2);
            assertThat(queued()).isEqualTo(JOBS);
            assertThat(futures.stream().map(JobFuture::jobId).distinct().count()).isEqualTo(JOBS);
        }
    }

    @Test
    void aJobOverTheSizeLimitFailsAloneThroughItsFutureTheOthersOfItsBatchArePlaced() {
        System.setProperty("pp.maxPayloadBytes", "4000");
        try (ProcessManager procs = connect(local.url(), fleet.keys().fleet(), TestSecret.VALUE)) {
            List<JobFuture<Object>> small = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                small.add(procs.submit(newJob(() -> 1)));
            }
            String big = "x".repeat(5000);
            JobFuture<Object> tooBig = procs.submit(newJob((String s) -> s.length(), big));
            for (int i = 0; i < 200; i++) {
                small.add(procs.submit(newJob(() -> 2)));
            }

            assertThatThrownBy(tooBig::join).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(ProcessError.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.BAD_PAYLOAD);
                        assertThat(e.getMessage()).contains("job " + tooBig.jobId() + " is ").contains("over the limit of 4000")
                                .contains("nothing was placed");
                    });
            await().until(() -> small.stream().allMatch(JobFuture::isPlaced));
            assertThat(small).noneMatch(JobFuture::isDone);
            assertThat(queued()).isEqualTo(small.size());
        }
    }

    @Test
    void closingTheManagerPlacesWhatWasSubmittedFirst() {
        List<JobFuture<Object>> futures = new ArrayList<>();
        try (ProcessManager procs = connect(local.url(), fleet.keys().fleet(), TestSecret.VALUE)) {
            for (int i = 0; i < 500; i++) {
                futures.add(procs.submit(newJob(() -> 3)));
            }
        }
        assertThat(futures).allMatch(JobFuture::isPlaced);
        assertThat(queued()).isEqualTo(500);
    }
}
