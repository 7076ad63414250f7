package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.Async;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** submitAll, map and executor() on in-JVM workers: the batch API's rules, no Redis needed. */
class BatchApiTest {

    private ProcessManager procs;

    @BeforeEach
    void start() {
        procs = processes(3, Async.class);
    }

    @AfterEach
    void stop() {
        procs.close();
    }

    static long square(long x) {
        if (x == 13) {
            throw new IllegalStateException("unlucky " + x);
        }
        return x * x;
    }

    @Test
    void submitAllGivesOneFuturePerJobInOrder() {
        List<ProcessJob> jobs = IntStream.range(0, 50).mapToObj(i -> newJob(() -> i)).toList();
        List<JobFuture<Object>> futures = procs.submitAll(jobs);
        assertThat(futures).hasSize(50);
        assertThat(futures.stream().map(JobFuture::join).toList()).isEqualTo(IntStream.range(0, 50).boxed().toList());
    }

    @Test
    void mapReturnsEveryResultInInputOrderAsTheLambdasReturnType() {
        List<Long> squares = procs.map(BatchApiTest::square, List.of(1L, 2L, 3L, 4L));
        assertThat(squares).containsExactly(1L, 4L, 9L, 16L);
        assertThat(squares.get(0)).isInstanceOf(Long.class);
    }

    @Test
    void aFailedInputIsNamedByItsIndexAndJobId() {
        assertThatThrownBy(() -> procs.map(BatchApiTest::square, List.of(1L, 13L, 2L)))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.JOB_FAILED);
                    assertThat(e.getMessage()).startsWith("map: input #1 (job " + e.jobId() + ")").contains("unlucky 13");
                });
    }

    @Test
    void theExecutorRunsSerializableCallablesAndConvertsToTheirReturnType() throws Exception {
        ExecutorService pool = procs.executor();
        Future<Long> f = pool.submit((Callable<Long> & Serializable) () -> 42L);
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(Long.class).isEqualTo(42L);
        assertThat(pool.submit((Runnable & Serializable) () -> {}).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(pool.submit((Runnable & Serializable) () -> {}, "done").get(10, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void invokeAllAndInvokeAnyFollowTheExecutorContract() throws Exception {
        ExecutorService pool = procs.executor();
        List<Callable<Long>> tasks = new ArrayList<>();
        for (long i = 1; i <= 5; i++) {
            long x = i;
            tasks.add((Callable<Long> & Serializable) () -> x * 10);
        }
        List<Future<Long>> all = pool.invokeAll(tasks);
        assertThat(all).allSatisfy(f -> assertThat(f).isDone());
        assertThat(all.stream().map(f -> {
            try {
                return f.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError(e);
            }
        }).toList()).containsExactly(10L, 20L, 30L, 40L, 50L);
        assertThat(pool.invokeAny(tasks)).isIn(10L, 20L, 30L, 40L, 50L);
        Callable<Long> failing = (Callable<Long> & Serializable) () -> square(13);
        assertThatThrownBy(() -> pool.invokeAny(List.of(failing))).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("unlucky 13");
    }

    @Test
    void shutdownStopsAcceptingButNotTheWorkers() throws Exception {
        ExecutorService pool = procs.executor();
        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> pool.submit((Callable<Long> & Serializable) () -> 1L))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("shut down");
        assertThat(procs.workers()).noneMatch(Worker::isClosed);
        assertThat(procs.executor().submit((Callable<Long> & Serializable) () -> 2L).get(10, TimeUnit.SECONDS)).isEqualTo(2L);
    }

    @Test
    void aTaskThatCannotTravelIsRefusedSayingHowToWriteIt() {
        Callable<Long> plain = () -> 1L;
        assertThatThrownBy(() -> procs.executor().submit(plain))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("not serializable")
                .hasMessageContaining("(Callable<T> & Serializable)");
    }
}
