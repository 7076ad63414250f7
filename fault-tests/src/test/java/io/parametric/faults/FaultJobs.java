package io.parametric.faults;

import io.parametric.shared.JobContext;

/** The jobs the fault scenarios run on real workers (the workers have the test classpath). */
public final class FaultJobs {

    private FaultJobs() {}

    /**
     * A short job that counts each of its runs in the shared value {@code runs:<i>}, so the suite
     * can count duplicates.
     *
     * @param i the job's number
     * @return {@code i * i}
     * @throws InterruptedException when interrupted
     */
    public static long square(Integer i) throws InterruptedException {
        JobContext.current().increment("runs:" + i, 1);
        Thread.sleep(5 + (i % 4) * 5L);
        return (long) i * i;
    }

    /**
     * A short job that counts each of its runs by appending its number to a file, outside Redis,
     * so the count survives a Redis failover that loses recent writes.
     *
     * @param file the file every run appends a line to
     * @param i the job's number
     * @return {@code i * i}
     * @throws Exception when the file cannot be written or the job is interrupted
     */
    public static long recorded(String file, Integer i) throws Exception {
        java.nio.file.Files.writeString(java.nio.file.Path.of(file), i + "\n", java.nio.charset.StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(5 + (i % 4) * 5L);
        return (long) i * i;
    }

    /**
     * Sleeps, counting its runs in {@code runs:<tag>}.
     *
     * @param tag a name for the run counter
     * @param millis how long
     * @return the tag
     * @throws InterruptedException when interrupted
     */
    public static String slow(String tag, Long millis) throws InterruptedException {
        JobContext.current().increment("runs:" + tag, 1);
        Thread.sleep(millis);
        return tag;
    }

    /**
     * Kills the worker process running it, counting the attempt in {@code runs:<tag>}.
     *
     * @param tag a name for the run counter
     * @return never
     */
    public static String killWorker(String tag) {
        JobContext.current().increment("runs:" + tag, 1);
        Runtime.getRuntime().halt(37);
        return "unreachable";
    }

    /**
     * Spins for a while and ignores every interrupt: a job no timeout can stop.
     *
     * @param millis how long
     * @return "finished"
     */
    public static String ignoreInterrupts(Long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // deliberately ignored: this job models code that swallows interrupts
            }
        }
        return "finished";
    }

    /**
     * Throws for its first {@code failures} runs, then returns how many runs it took.
     *
     * @param tag a name for the run counter
     * @param failures how many runs fail
     * @return the run that succeeded
     */
    public static long flaky(String tag, Integer failures) {
        long run = JobContext.current().increment("runs:" + tag, 1);
        if (run <= failures) {
            throw new IllegalStateException("run " + run + " of " + tag + " fails on purpose");
        }
        return run;
    }
}
