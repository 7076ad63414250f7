package io.parametric.shared;

import java.util.List;

/**
 * A named job type a worker can run: {@code newJob("resize", "cat.png", 640)} on the manager runs
 * the worker's {@code JobType} named {@code resize} with those arguments. Register one with
 * {@code JobRegistry.register}, or list the class in
 * {@code META-INF/services/io.parametric.shared.JobType} to have workers find it through
 * {@link java.util.ServiceLoader} (it then needs a public no-argument constructor).
 *
 * <pre>{@code
 * public final class Resize implements JobType {
 *     public String name() { return "resize"; }
 *     public List<Class<?>> parameterTypes() { return List.of(String.class, Integer.class); }
 *     public Object run(JobContext ctx, Object... args) { return args[0] + "@" + args[1]; }
 * }
 * }</pre>
 */
public interface JobType {

    /** @return the name jobs use to ask for this type */
    String name();

    /**
     * The types the arguments are converted to before {@link #run}; a job with another count, or
     * an argument that does not convert, fails with BAD_PAYLOAD.
     *
     * @return the parameter types, in order
     */
    List<Class<?>> parameterTypes();

    /**
     * Runs one job of this type.
     *
     * @param ctx the running job's context
     * @param args the arguments, converted to {@link #parameterTypes()}
     * @return the job's return, which must serialize to JSON
     * @throws Exception anything; it is recorded as a JOB_FAILED outcome
     */
    Object run(JobContext ctx, Object... args) throws Exception;
}
