package io.parametric.shared;

/**
 * A job written as a class, typically a record: its components travel as JSON and the record is
 * rebuilt on the worker, which calls {@link #run}. The return type {@code R} is read from the
 * {@code Job<...>} type argument.
 *
 * <pre>{@code
 * record Resize(String file, int width) implements Job<String> {
 *     public String run(JobContext ctx) { return file + "@" + width; }
 * }
 * }</pre>
 *
 * @param <R> what the job returns
 */
@FunctionalInterface
public interface Job<R> {
    /**
     * Runs the job on a worker.
     *
     * @param ctx the running job's context (also {@link JobContext#current()})
     * @return the job's return, which must serialize to JSON
     * @throws Exception anything; it is recorded as a JOB_FAILED outcome
     */
    R run(JobContext ctx) throws Exception;
}
