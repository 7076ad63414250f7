package io.parametric.worker.outside;

import io.parametric.shared.Job;
import io.parametric.shared.JobContext;
import io.parametric.worker.testjobs.Calls;

/** Classes outside the allowlist the worker tests use. */
public final class Outside {
    private Outside() {}

    /** A record outside the allowlist. */
    public record Escape(String what) implements Job<String> {
        @Override
        public String run(JobContext ctx) {
            return "escaped " + what;
        }
    }

    /** @return a lambda outside the allowlist */
    public static Calls.Call0<String> lambda() {
        return () -> "escaped";
    }
}
