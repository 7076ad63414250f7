package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent submits, coalesced into shared placements: every one is placed once and completes. */
class SubmitQueueTest {

    @Test
    void submitsFromManyThreadsAreEachPlacedOnceAndComplete() throws Exception {
        try (ProcessManager procs = processes(2, Async.class)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<JobFuture<Object>>>> perThread = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    perThread.add(threads.submit(() -> {
                        List<JobFuture<Object>> mine = new ArrayList<>();
                        for (int i = 0; i < 250; i++) {
                            int value = thread * 1000 + i;
                            JobFuture<Object> f = procs.submit(newJob(() -> value));
                            assertThat(procs.job(f.jobId())).isSameAs(f);
                            mine.add(f);
                        }
                        return mine;
                    }));
                }
                for (int t = 0; t < 8; t++) {
                    List<JobFuture<Object>> mine = perThread.get(t).get();
                    for (int i = 0; i < mine.size(); i++) {
                        assertThat(mine.get(i).join()).isEqualTo(t * 1000 + i);
                    }
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void threadsThatEachWaitForEveryJobTheySubmitGetEveryReturn() throws Exception {
        // Each submit waits for the placer thread to send it while five other threads submit too.
        try (ProcessManager procs = processes(2, Async.class)) {
            ExecutorService threads = Executors.newFixedThreadPool(6);
            try {
                List<Future<List<Object>>> perThread = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int thread = t;
                    perThread.add(threads.submit(() -> {
                        List<Object> returns = new ArrayList<>();
                        for (int i = 0; i < 150; i++) {
                            int value = thread * 1000 + i;
                            returns.add(procs.submit(newJob(() -> value)).get());
                        }
                        return returns;
                    }));
                }
                for (int t = 0; t < 6; t++) {
                    int thread = t;
                    assertThat(perThread.get(t).get()).hasSize(150)
                            .allSatisfy(r -> assertThat((Integer) r / 1000).isEqualTo(thread))
                            .doesNotHaveDuplicates();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
