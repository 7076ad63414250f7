package io.parametric.bench;

/**
 * How big each scenario of a run is (the command line's options).
 *
 * @param redisUrl the Redis under test
 * @param slots worker slots of {@code processes(n)}
 * @param jobs jobs per end-to-end throughput run
 * @param warmup round trips (and, ×2, end-to-end jobs) run before measuring
 * @param samples sequential round trips measured
 * @param bulk jobs of the bulk-placement and worker-only-drain runs
 * @param queued jobs placed on a fleet without workers to measure bytes per queued job
 * @param monitorJobs jobs of the small run counted under MONITOR
 * @param idleSeconds how long idle workers are counted under MONITOR
 * @param baseline whether to run Redisson's executor and the bare-list loop too
 */
record Settings(String redisUrl, int slots, int jobs, int warmup, int samples, int bulk, int queued,
                int monitorJobs, int idleSeconds, boolean baseline) {}
