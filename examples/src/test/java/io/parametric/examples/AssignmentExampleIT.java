package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.examples.AssignmentExample.Placements;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.Threaded;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class AssignmentExampleIT {

    @Test
    void everyAssignmentFunctionPlacesJobsOnTheFleetAndEveryJobRuns() {
        try (ProcessManager procs = processes(4, Threaded.class, "north", "east", "south", "west")) {
            Placements placed = AssignmentExample.placeEveryWay(procs);

            assertThat(placed.assignedByName()).isEqualTo(procs.get("east").pid());
            assertThat(placed.ranOnByName()).isEqualTo("east");
            assertThat(placed.assignedByPid()).isEqualTo(procs.workerPids().get(0));
            assertThat(placed.assignOpen()).isNotEmpty().isSorted().isSubsetOf(procs.workerPids());
            assertThat(placed.distribute()).hasSize(4).isSorted().isSubsetOf(procs.workerPids());
            assertThat(placed.distributeOpen()).isNotEmpty().isSorted().isSubsetOf(procs.workerPids());
            assertThat(placed.ran()).isEqualTo(placed.placed());
        }
    }
}
