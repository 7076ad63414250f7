package io.parametric.worker.testjobs;

import io.parametric.shared.Job;
import io.parametric.shared.JobContext;
import java.util.List;

/** Lambdas, method references and records the worker tests send. */
public final class Jobs {
    private Jobs() {}

    /** A method reference target. */
    public static int example(int n, String label) {
        return n * 10 + label.length();
    }

    /** @return a method reference to {@link #example}, written here so workers admitting this package run it */
    public static Calls.Call2<Integer, String, Integer> exampleRef() {
        return Jobs::example;
    }

    /** A private method reference target. */
    private static String secret(String s) {
        return "secret:" + s;
    }

    /** @return a method reference to a private method */
    public static Calls.Call1<String, String> secretRef() {
        return Jobs::secret;
    }

    /** @return a lambda capturing values */
    public static Calls.Call1<Integer, Integer> adder(int base, List<Integer> more) {
        return n -> base + n + more.stream().mapToInt(Integer::intValue).sum();
    }

    /** @return a lambda that throws */
    public static Calls.Call0<Object> thrower() {
        return () -> {
            throw new UnsupportedOperationException("thrown on purpose");
        };
    }

    /** @return a lambda that holds on to memory until the heap runs out */
    public static Calls.Call0<Object> hog() {
        return () -> {
            List<long[]> kept = new java.util.ArrayList<>();
            while (true) {
                kept.add(new long[1 << 17]);
            }
        };
    }

    /** @return a void lambda */
    public static Calls.Run0 nothing() {
        return () -> {};
    }

    /** A record job. */
    public record Square(int n) implements Job<Integer> {
        @Override
        public Integer run(JobContext ctx) {
            return n * n;
        }
    }

    /** A record job with nested records. */
    public record Sum(List<Square> parts) implements Job<Integer> {
        @Override
        public Integer run(JobContext ctx) {
            return parts.stream().mapToInt(Square::n).sum();
        }
    }
}
