package io.parametric.bench;

import java.time.Duration;

/**
 * CPU time used so far by the benchmark's own JVM (the manager), by the worker JVMs it spawned
 * ({@code processes(n)}: its child {@code java} processes) and by Redis ({@code INFO cpu}), so a
 * run can say where each job's CPU went. Unlike a rate, this does not move with what else the
 * machine runs at the time.
 *
 * <pre>{@code
 * CpuUse before = CpuUse.now(redis);
 * run(jobs);
 * CpuUse used = CpuUse.now(redis).minus(before);   // used.workers().toNanos() / jobs ...
 * }</pre>
 *
 * @param manager the benchmark JVM's CPU time
 * @param workers the spawned worker JVMs' CPU time, summed
 * @param redis Redis' CPU time (user and system)
 */
record CpuUse(Duration manager, Duration workers, Duration redis) {

    /**
     * @param redis the Redis measured
     * @return the CPU time each has used so far
     */
    static CpuUse now(RedisInspector redis) {
        Duration workers = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
        return new CpuUse(ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO), workers, redis.cpuTime());
    }

    /**
     * @param earlier a snapshot taken before
     * @return what was used since
     */
    CpuUse minus(CpuUse earlier) {
        return new CpuUse(manager.minus(earlier.manager), workers.minus(earlier.workers), redis.minus(earlier.redis));
    }

    /** @return all three together */
    Duration total() {
        return manager.plus(workers).plus(redis);
    }
}
