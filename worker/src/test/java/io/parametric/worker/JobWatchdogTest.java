package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobWatchdogTest {

    private final AtomicReference<JobWatchdog.Stuck> stuck = new AtomicReference<>();
    private final JobWatchdog watchdog = new JobWatchdog(Duration.ofMillis(200), stuck::set);

    @AfterEach
    void close() {
        watchdog.close();
    }

    private static JobPayload job(String id, Long timeoutMs) {
        return new JobPayload(JobPayload.VERSION, id, "m", JobPayload.TYPE, "t", null, null, null, null, null,
                null, List.of(), null, timeoutMs, 0, 3, false);
    }

    private static Outcome sleeping(String id) {
        try {
            Thread.sleep(60_000);
            return Outcome.success(id, 1, Json.tree("slept"), 1);
        } catch (InterruptedException e) {
            return Outcome.thrown(id, 1, e, 1);
        }
    }

    @Test
    void jobPastItsTimeoutIsInterruptedAndFailsWithJobTimeout() {
        Outcome o = watchdog.run(job("a", 100L), 1, 1, () -> sleeping("a"));

        assertThat(o.reason()).isEqualTo("JOB_TIMEOUT");
        assertThat(o.message()).contains("timeout of 100 ms");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(stuck.get()).isNull();
    }

    @Test
    void jobWithoutTimeoutKeepsItsOwnOutcome() {
        Outcome o = watchdog.run(job("b", null), 1, 1, () -> Outcome.success("b", 1, Json.tree(7), 1));

        assertThat(o.ok()).isTrue();
    }

    @Test
    void jobIgnoringItsInterruptIsHandedToTheStuckHandler() {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(() -> watchdog.run(job("c", 50L), 1, 1, () -> {
            while (true) {
                try {
                    release.await();
                    return Outcome.success("c", 1, Json.tree("late"), 1);
                } catch (InterruptedException ignored) {
                    // a job that swallows interrupts
                }
            }
        }));

        await().atMost(Duration.ofSeconds(5)).until(() -> stuck.get() != null);
        assertThat(stuck.get().outcome().reason()).isEqualTo("JOB_TIMEOUT");
        assertThat(stuck.get().outcome().message()).contains("ignored the interrupt");
        release.countDown();
        assertThat(running.join().reason()).isEqualTo("JOB_TIMEOUT");
    }

    @Test
    void cancelInterruptsTheRunningJob() {
        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(() -> watchdog.run(job("d", null), 1, 1, () -> sleeping("d")));

        await().atMost(Duration.ofSeconds(5)).until(() -> watchdog.cancel("d"));

        assertThat(running.join().errorClass()).isEqualTo(InterruptedException.class.getName());
        assertThat(watchdog.cancel("nope")).isFalse();
    }
}
