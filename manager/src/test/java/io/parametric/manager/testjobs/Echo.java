package io.parametric.manager.testjobs;

import io.parametric.shared.JobContext;
import io.parametric.shared.JobType;
import java.util.List;

/** A registered job type the manager's ITs find on every spawned worker (through ServiceLoader). */
public final class Echo implements JobType {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public List<Class<?>> parameterTypes() {
        return List.of(String.class);
    }

    @Override
    public Object run(JobContext ctx, Object... args) {
        return "echo:" + args[0];
    }
}
