package io.parametric.examples;

import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.examples.MembershipExample.Steps;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.Threaded;
import io.parametric.shared.testing.UsesTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UsesTestRedis.class)
class MembershipExampleIT {

    @Test
    void closeKeepsTheWorkerListedAddWorkersAddsDeleteRemovesAndPushAdopts() {
        try (ProcessManager procs = processes(4)) {
            Steps steps = MembershipExample.changeMembership(procs);

            assertThat(steps.started()).hasSize(4).isSorted().doesNotHaveDuplicates();

            assertThat(steps.afterClose()).isEqualTo(steps.started());
            assertThat(steps.secondIsClosed()).isTrue();

            assertThat(steps.afterAddWorkers()).hasSize(6).isSorted().containsAll(steps.started());

            long third = steps.started().get(2);
            assertThat(steps.afterDelete()).hasSize(5).doesNotContain(third)
                    .containsAll(steps.afterAddWorkers().stream().filter(p -> p != third).toList());

            assertThat(steps.pushed().kind()).isEqualTo(Threaded.class);
            assertThat(steps.afterPush()).hasSize(6).contains(steps.pushed().pid()).containsAll(steps.afterDelete());
            assertThat(procs.get(steps.pushed().name()).pid()).isEqualTo(steps.pushed().pid());
        }
    }
}
