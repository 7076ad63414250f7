package io.parametric.manager.internal;

import java.util.List;

/**
 * The placed jobs a manager still waits for, as its completion listeners look them up in Redis:
 * all of them after an outage, a bounded slice at a time for the sweep for vanished jobs.
 */
public interface WaitedJobs {

    /** @return the ids of every placed job still waited for */
    List<String> all();

    /**
     * @param max the most ids to return
     * @return the ids of the next placed jobs still waited for, at most max: each call goes on
     *     where the last one stopped and starts over after the last job, so every job waited for
     *     comes up once per (jobs waited for ÷ max) calls; its cost does not grow with their number
     */
    List<String> next(int max);
}
