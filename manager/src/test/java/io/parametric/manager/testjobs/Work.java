package io.parametric.manager.testjobs;

import io.parametric.shared.Job;
import io.parametric.shared.JobContext;

/** Job code the manager's ITs run on spawned workers. */
public final class Work {

    private Work() {}

    /**
     * The seed's example function.
     *
     * @param x a number
     * @param y a label
     * @return the label with the number appended
     */
    public static String example(Integer x, String y) {
        return y + x;
    }

    /**
     * Sleeps, then returns.
     *
     * @param millis how long
     * @return the same number
     * @throws InterruptedException when interrupted
     */
    public static Integer sleep(Integer millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    /**
     * Fails.
     *
     * @param why the message
     * @return never
     */
    public static Object fail(String why) {
        throw new IllegalStateException(why);
    }

    /**
     * Holds on to memory until the heap runs out.
     *
     * @return never
     */
    public static Object hog() {
        java.util.List<long[]> kept = new java.util.ArrayList<>();
        while (true) {
            kept.add(new long[1 << 17]);
        }
    }

    /** A record job: squares its number. */
    public record Square(int x) implements Job<Integer> {
        @Override
        public Integer run(JobContext ctx) {
            return x * x;
        }
    }
}
