package io.parametric.worker.testjobs;

import io.parametric.shared.JobContext;
import io.parametric.shared.JobType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Job types the worker tests use, found through META-INF/services. */
public final class TestTypes {
    private TestTypes() {}

    /** {@code echo(x)} returns x. */
    public static final class Echo implements JobType {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public List<Class<?>> parameterTypes() {
            return List.of(Object.class);
        }

        @Override
        public Object run(JobContext ctx, Object... args) {
            return args[0];
        }
    }

    /** {@code add(a, b)} returns a + b. */
    public static final class Add implements JobType {
        @Override
        public String name() {
            return "add";
        }

        @Override
        public List<Class<?>> parameterTypes() {
            return List.of(Integer.class, Integer.class);
        }

        @Override
        public Object run(JobContext ctx, Object... args) {
            return (Integer) args[0] + (Integer) args[1];
        }
    }

    /** {@code fail(message)} throws IllegalStateException(message). */
    public static final class Fail implements JobType {
        @Override
        public String name() {
            return "fail";
        }

        @Override
        public List<Class<?>> parameterTypes() {
            return List.of(String.class);
        }

        @Override
        public Object run(JobContext ctx, Object... args) {
            throw new IllegalStateException((String) args[0]);
        }
    }

    /**
     * {@code unprintable()} throws an exception that cannot describe itself: its
     * {@code getMessage()} throws the exception itself (as a buggy exception class of a job's
     * library might), so {@code toString()} and {@code printStackTrace()} throw too.
     */
    public static final class Unprintable implements JobType {
        @Override
        public String name() {
            return "unprintable";
        }

        @Override
        public List<Class<?>> parameterTypes() {
            return List.of();
        }

        @Override
        public Object run(JobContext ctx, Object... args) {
            throw new IllegalStateException() {
                @Override
                public String getMessage() {
                    throw this;
                }
            };
        }
    }

    /** {@code sleep(ms)} sleeps and returns ms. */
    public static final class Sleep implements JobType {
        @Override
        public String name() {
            return "sleep";
        }

        @Override
        public List<Class<?>> parameterTypes() {
            return List.of(Long.class);
        }

        @Override
        public Object run(JobContext ctx, Object... args) throws InterruptedException {
            Thread.sleep(Duration.ofMillis((Long) args[0]).toMillis());
            return args[0];
        }
    }

    /** {@code context()} exercises the JobContext and returns what it saw. */
    public static final class Context implements JobType {
        @Override
        public String name() {
            return "context";
        }

        @Override
        public List<Class<?>> parameterTypes() {
            return List.of();
        }

        @Override
        public Object run(JobContext ctx, Object... args) {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("pid", ctx.pid());
            seen.put("name", ctx.workerName());
            seen.put("jobId", ctx.jobId());
            seen.put("attempt", ctx.attempt());
            seen.put("greeting", ctx.fetch("greeting", String.class));
            seen.put("counter", JobContext.current().increment("counter", 5));
            ctx.put("written", List.of(1, 2));
            ctx.progress(0.5);
            return seen;
        }
    }
}
