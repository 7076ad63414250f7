package io.parametric.manager;

import io.parametric.manager.internal.LambdaReturnType;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * {@code map(fn, inputs)}: one job per input, placed together as {@code submitAll}, results in
 * input order and converted to the return type {@code fn} was instantiated with; the first
 * failure in input order names the input's index and job id.
 *
 * @param <T> an input
 * @param <R> a result
 */
final class BatchMap<T, R> {

    private final ProcessManager manager;
    private final Fn.Call1<T, R> fn;

    BatchMap(ProcessManager manager, Fn.Call1<T, R> fn) {
        if (fn == null) {
            throw new IllegalArgumentException("map's function is null");
        }
        this.manager = manager;
        this.fn = fn;
    }

    List<R> run(Collection<T> inputs) {
        List<ProcessJob> jobs = new ArrayList<>(inputs.size());
        for (T input : inputs) {
            jobs.add(ParametricProcesses.newJob(fn, input));
        }
        Type returnType = LambdaReturnType.of(fn);
        List<JobFuture<R>> futures = manager.submitAll(jobs, Collections.nCopies(jobs.size(), returnType));
        List<R> results = new ArrayList<>(futures.size());
        for (int i = 0; i < futures.size(); i++) {
            results.add(result(i, futures.get(i)));
        }
        return results;
    }

    private static <R> R result(int index, JobFuture<R> f) {
        try {
            return f.join();
        } catch (CancellationException e) {
            throw new ProcessError(Reason.CANCELLED, "map: input #" + index + " (job " + f.jobId() + ") was cancelled",
                    f.pid(), f.jobId(), null, null, e);
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProcessError p) {
                throw new ProcessError(p.reason(), "map: input #" + index + " (job " + f.jobId() + ") failed: " + p.getMessage(),
                        p.pid(), f.jobId(), p.errorClass(), p.remoteStackTrace(), p);
            }
            throw new ProcessError(Reason.JOB_FAILED, "map: input #" + index + " (job " + f.jobId() + ") failed: " + cause,
                    f.pid(), f.jobId(), null, null, cause);
        }
    }
}
