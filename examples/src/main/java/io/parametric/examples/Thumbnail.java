package io.parametric.examples;

import io.parametric.shared.Job;
import io.parametric.shared.JobContext;

/**
 * A job written as a record: its components travel as JSON and the worker rebuilds it and calls
 * {@link #run}. {@code newJob(new Thumbnail("cat.png", 320))}.
 *
 * @param file the image
 * @param width the thumbnail's width in pixels
 */
public record Thumbnail(String file, int width) implements Job<String> {

    /**
     * @param ctx the running job's context
     * @return {@code "<file> at <width>px"}
     */
    @Override
    public String run(JobContext ctx) {
        return file + " at " + width + "px";
    }
}
