package io.parametric.bench;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessJob;
import io.parametric.manager.ProcessManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The ways an end-to-end run places its jobs and collects all their results.
 *
 * <pre>{@code
 * Placement.SUBMIT_LOOP.run(manager, BenchJobs.noOp(), 20_000);
 * }</pre>
 */
enum Placement {
    /** {@code submit(job)} n times, then every future's result. */
    SUBMIT_LOOP("%,d `submit`s then all results") {
        @Override
        void run(ProcessManager manager, ProcessJob job, int n) {
            List<JobFuture<Object>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(manager.submit(job));
            }
            awaitAll(futures);
        }
    },
    /** One {@code distribute} of n jobs, then {@code waitFor()}. */
    DISTRIBUTE("one `distribute` of %,d, then `waitFor()`") {
        @Override
        void run(ProcessManager manager, ProcessJob job, int n) {
            manager.distribute(Collections.nCopies(n, job));
            manager.waitFor();
        }
    },
    /** One {@code submitAll} of n jobs, then every future's result. */
    SUBMIT_ALL("one `submitAll` of %,d then all results") {
        @Override
        void run(ProcessManager manager, ProcessJob job, int n) {
            awaitAll(manager.submitAll(Collections.nCopies(n, job)));
        }
    };

    private final String description;

    Placement(String description) {
        this.description = description;
    }

    /**
     * Places n copies of the job and returns when all have their results.
     *
     * @throws IllegalStateException when a job failed
     */
    abstract void run(ProcessManager manager, ProcessJob job, int n);

    /** @return what the run does, for the table */
    String describe(int n) {
        return String.format(java.util.Locale.ROOT, description, n);
    }

    private static void awaitAll(List<JobFuture<Object>> futures) {
        for (JobFuture<Object> f : futures) {
            try {
                f.join();
            } catch (RuntimeException e) {
                throw new IllegalStateException("job " + f.jobId() + " failed: " + e.getMessage(), e);
            }
        }
    }
}
