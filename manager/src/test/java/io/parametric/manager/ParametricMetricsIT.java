package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parametric.manager.testjobs.Work;
import io.parametric.shared.testing.UsesTestRedis;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ParametricMetrics: pp.* meters of the fleet, tagged by fleet and type only. */
@ExtendWith(UsesTestRedis.class)
class ParametricMetricsIT {

    @Test
    void countsTheFleetsJobsAndReadsItsQueues() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (ProcessManager procs = processes(2); ParametricMetrics metrics = new ParametricMetrics(procs).bind(registry)) {
            String fleet = procs.stats().fleet();
            procs.distribute(Collections.nCopies(10, newJob(Work::sleep, 10)));
            procs.distribute(newJob(Work::fail, "counted"));
            assertThatThrownBy(() -> procs.waitFor(Duration.ofSeconds(60))).hasMessageContaining("counted");

            String type = Work.class.getName();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(registry.get("pp.jobs.completed").tags("fleet", fleet, "type", type).counter().count()).isEqualTo(10);
                assertThat(registry.get("pp.jobs.failed").tags("fleet", fleet, "type", type).counter().count()).isEqualTo(1);
            });
            assertThat(registry.get("pp.jobs.placed").tags("fleet", fleet).counters().stream()
                    .mapToDouble(c -> c.count()).sum()).isEqualTo(11);
            assertThat(registry.get("pp.job.duration").tags("fleet", fleet, "type", type).timer().count()).isEqualTo(11);
            assertThat(registry.get("pp.job.wait").tags("fleet", fleet).timers()).isNotEmpty();
            assertThat(registry.get("pp.workers").tags("fleet", fleet).gauge().value()).isEqualTo(2);
            assertThat(registry.get("pp.backlog").gauge().value()).isZero();
            assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags())
                    .allSatisfy(t -> assertThat(t.getKey()).isIn("fleet", "type")));
        }
    }
}
