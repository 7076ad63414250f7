package io.parametric.examples;

import io.parametric.shared.JobContext;
import io.parametric.shared.JobType;
import java.util.List;

/**
 * A registered job type named {@code resize}, found by workers through
 * {@code META-INF/services/io.parametric.shared.JobType}: {@code newJob("resize", "cat.png", 640)}
 * runs it. It only describes the resize, so the example needs no image library.
 */
public final class ResizeType implements JobType {

    /** Creates the type; {@link java.util.ServiceLoader} calls this. */
    public ResizeType() {}

    /** @return {@code "resize"} */
    @Override
    public String name() {
        return "resize";
    }

    /** @return a file name and a width */
    @Override
    public List<Class<?>> parameterTypes() {
        return List.of(String.class, Integer.class);
    }

    /**
     * @param ctx the running job's context
     * @param args the file name and the width
     * @return {@code "<file>@<width>"}
     */
    @Override
    public Object run(JobContext ctx, Object... args) {
        return args[0] + "@" + args[1];
    }
}
