package io.parametric.manager;

import java.io.Serializable;

/**
 * The functional interfaces {@code newJob} takes. Each is {@link Serializable}, so a lambda or
 * method reference written against it can travel to a worker as its implementing class, method
 * and captured values. The one- to four-argument forms return a value (there are no void
 * variants), so implicitly typed lambdas never become ambiguous.
 *
 * <pre>{@code
 * ProcessJob hello = newJob(() -> System.out.println("hello"));      // Run0
 * ProcessJob five = newJob(() -> 5);                                // Call0
 * ProcessJob joined = newJob(Example::example, 5, "job #5");        // Call2
 * }</pre>
 */
public final class Fn {

    private Fn() {}

    /** A job with no arguments and no return. */
    @FunctionalInterface
    public interface Run0 extends Serializable {
        /**
         * Runs the job.
         *
         * @throws Exception anything; recorded as a JOB_FAILED outcome
         */
        void run() throws Exception;
    }

    /**
     * A job with no arguments that returns a value.
     *
     * @param <R> the return
     */
    @FunctionalInterface
    public interface Call0<R> extends Serializable {
        /**
         * Runs the job.
         *
         * @return the job's return (must serialize to JSON)
         * @throws Exception anything; recorded as a JOB_FAILED outcome
         */
        R call() throws Exception;
    }

    /**
     * A job of one argument.
     *
     * @param <A> the argument
     * @param <R> the return
     */
    @FunctionalInterface
    public interface Call1<A, R> extends Serializable {
        /**
         * Runs the job.
         *
         * @param a the argument
         * @return the job's return
         * @throws Exception anything; recorded as a JOB_FAILED outcome
         */
        R call(A a) throws Exception;
    }

    /**
     * A job of two arguments.
     *
     * @param <A> the first argument
     * @param <B> the second argument
     * @param <R> the return
     */
    @FunctionalInterface
    public interface Call2<A, B, R> extends Serializable {
        /**
         * Runs the job.
         *
         * @param a the first argument
         * @param b the second argument
         * @return the job's return
         * @throws Exception anything; recorded as a JOB_FAILED outcome
         */
        R call(A a, B b) throws Exception;
    }

    /**
     * A job of three arguments.
     *
     * @param <A> the first argument
     * @param <B> the second argument
     * @param <C> the third argument
     * @param <R> the return
     */
    @FunctionalInterface
    public interface Call3<A, B, C, R> extends Serializable {
        /**
         * Runs the job.
         *
         * @param a the first argument
         * @param b the second argument
         * @param c the third argument
         * @return the job's return
         * @throws Exception anything; recorded as a JOB_FAILED outcome
         */
        R call(A a, B b, C c) throws Exception;
    }

    /**
     * A job of four arguments.
     *
     * @param <A> the first argument
     * @param <B> the second argument
     * @param <C> the third argument
     * @param <D> the fourth argument
     * @param <R> the return
     */
    @FunctionalInterface
    public interface Call4<A, B, C, D, R> extends Serializable {
        /**
         * Runs the job.
         *
         * @param a the first argument
         * @param b the second argument
         * @param c the third argument
         * @param d the fourth argument
         * @return the job's return
         * @throws Exception anything; recorded as a JOB_FAILED outcome
         */
        R call(A a, B b, C c, D d) throws Exception;
    }
}
