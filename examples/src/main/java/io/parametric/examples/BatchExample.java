package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * Many jobs at once, as Java users expect: {@code map} (one job per input, results in input
 * order), {@code submitAll} (one future per job) and {@code executor()} (the fleet as an
 * {@link ExecutorService} of serializable lambdas).
 */
public final class BatchExample {

    private BatchExample() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception when a task fails
     */
    public static void main(String[] args) throws Exception {
        try (ProcessManager procs = processes(2)) {
            System.out.println(run(procs));
        }
    }

    /**
     * What the example computed.
     *
     * @param squares {@code map} of x → x² over 1..10
     * @param lengths {@code submitAll} of two jobs, their returns in order
     * @param answer the executor's {@code Callable<Long>}, a {@code Long}
     */
    public record Results(List<Long> squares, List<Object> lengths, Long answer) {}

    /**
     * Runs the three batch forms on a manager.
     *
     * @param procs the manager
     * @return what they returned
     * @throws InterruptedException when interrupted
     * @throws ExecutionException when the executor's task fails
     */
    public static Results run(ProcessManager procs) throws InterruptedException, ExecutionException {
        List<Long> inputs = LongStream.rangeClosed(1, 10).boxed().toList();
        List<Long> squares = procs.map((Long x) -> x * x, inputs);

        List<ProcessJob> jobs = List.of(newJob((String s) -> s.length(), "a"), newJob((String s) -> s.length(), "bb"));
        List<JobFuture<Object>> futures = procs.submitAll(jobs);
        List<Object> lengths = futures.stream().map(JobFuture::join).toList();

        ExecutorService pool = procs.executor();
        Future<Long> answer = pool.submit((Callable<Long> & Serializable) () -> 6L * 7);
        pool.shutdown();
        return new Results(squares, lengths, answer.get());
    }
}
