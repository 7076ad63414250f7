package io.parametric.bench;

/**
 * What a baseline measured: end-to-end throughput of a submit loop of the same size as the
 * project's, and sequential round-trip latency.
 *
 * @param jobsPerSecond end-to-end throughput
 * @param latency sequential round trips
 */
record Baseline(double jobsPerSecond, Latency.Summary latency) {}
