package io.parametric.manager.testjobs;

import io.parametric.manager.ParametricProcesses;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestSecret;

/** A manager JVM for the test that kills it: spawns one worker, prints its OS pid, waits to be killed. */
public final class ManagerMain {

    private ManagerMain() {}

    /**
     * @param args unused; Redis and fleet come from -Dpp.redis.url and -Dpp.fleet
     * @throws Exception never expected
     */
    public static void main(String[] args) throws Exception {
        ProcessManager procs = ParametricProcesses.processes(1);
        try (Redis redis = new Redis(System.getProperty("pp.redis.url"), 1)) {
            Fleet fleet = new Fleet(redis, new FleetKeys(System.getProperty("pp.fleet")), TestSecret.secret(), Fleet.DEFAULT_JOB_TTL);
            System.out.println("WORKER_OSPID " + fleet.workerInfo(procs.workerPids().get(0)).get("ospid"));
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
