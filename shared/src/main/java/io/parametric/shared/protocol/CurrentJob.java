package io.parametric.shared.protocol;

import io.parametric.shared.JobContext;

/** Binds the running job's {@link JobContext} to the thread that runs it. */
public final class CurrentJob {

    private static final ThreadLocal<JobContext> CURRENT = new ThreadLocal<>();

    private CurrentJob() {}

    /**
     * @return the context bound to this thread
     * @throws IllegalStateException when no job runs on this thread
     */
    public static JobContext get() {
        JobContext ctx = CURRENT.get();
        if (ctx == null) {
            throw new IllegalStateException(
                    "JobContext.current() is only available inside a running job; call it from job code");
        }
        return ctx;
    }

    /**
     * Binds a context to this thread, or unbinds with null.
     *
     * @param ctx the context, or null
     */
    public static void set(JobContext ctx) {
        if (ctx == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(ctx);
        }
    }
}
