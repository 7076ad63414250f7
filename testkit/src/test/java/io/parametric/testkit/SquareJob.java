package io.parametric.testkit;

import io.parametric.shared.JobContext;
import io.parametric.shared.JobType;
import java.util.List;

/**
 * The job type the container ITs run on worker containers, shipped to them in a jar built by
 * {@link JobsJar}: {@code newJob("square", index, millis)} works for {@code millis}, records
 * which worker ran it in the fleet-wide value {@code ran:<index>} and returns {@code index²}.
 * Recording is idempotent, so a job that runs twice (at-least-once delivery) is still counted once;
 * the fleet-wide counter {@value #RUNS} counts every run, so the difference is the duplicates.
 * While the fleet-wide value {@value #HOLD} is {@code true}, a job waits before it works: a test
 * holds the fleet's jobs running until it has arranged what it wants to see.
 */
public final class SquareJob implements JobType {

    /** The name jobs use for this type. */
    public static final String NAME = "square";

    /** The shared counter of all runs, duplicates included. */
    public static final String RUNS = "runs";

    /** The shared value that holds every job at its start while it is {@code true}. */
    public static final String HOLD = "hold";

    /** How often a held job looks at {@value #HOLD} again. */
    private static final long HOLD_POLL_MILLIS = 20;

    /** Creates the job type (ServiceLoader needs a public no-argument constructor). */
    public SquareJob() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Class<?>> parameterTypes() {
        return List.of(Integer.class, Integer.class);
    }

    @Override
    public Object run(JobContext ctx, Object... args) throws Exception {
        int index = (Integer) args[0];
        int millis = (Integer) args[1];
        while (Boolean.TRUE.equals(ctx.fetch(HOLD, Boolean.class))) {
            Thread.sleep(HOLD_POLL_MILLIS);
        }
        // Stands in for real work, so a run lasts long enough to kill or stop a worker mid-way.
        Thread.sleep(millis);
        ctx.put(ranKey(index), ctx.pid());
        ctx.increment(RUNS, 1);
        return index * index;
    }

    /**
     * @param index a job's index
     * @return the shared value name holding the pid of the worker that ran it
     */
    public static String ranKey(int index) {
        return "ran:" + index;
    }
}
