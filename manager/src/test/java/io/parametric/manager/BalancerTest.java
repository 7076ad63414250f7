package io.parametric.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.manager.ProcessBackend.Load;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BalancerTest {

    private static Load idle(long pid) {
        return new Load(pid, 0, true, Set.of(), true);
    }

    private static Load busy(long pid, long queued) {
        return new Load(pid, queued, false, Set.of(), true);
    }

    private static List<String> lambdas(int n) {
        return Collections.nCopies(n, "");
    }

    @Test
    void distributeIsRoundRobinOnAnIdleFleetStartingAtTheLowestPid() {
        assertThat(new Balancer(List.of(idle(3), idle(1), idle(2))).evenly(lambdas(7), false))
                .containsExactly(1L, 2L, 3L, 1L, 2L, 3L, 1L);
    }

    @Test
    void distributeFillsTheShortestQueuesFirst() {
        assertThat(new Balancer(List.of(busy(1, 3), busy(2, 0), busy(3, 1))).evenly(lambdas(4), false))
                .containsExactly(2L, 2L, 3L, 2L);
    }

    @Test
    void distributeSkipsClosedWorkersAndThoseWithoutTheType() {
        Load closed = new Load(1, 0, false, Set.of("resize"), false);
        Load plain = idle(2);
        Load resizer = new Load(3, 5, false, Set.of("resize"), true);
        assertThat(new Balancer(List.of(closed, plain, resizer)).evenly(List.of("resize", "", ""), false))
                .containsExactly(3L, 2L, 2L);
    }

    @Test
    void aTypeNoWorkerListsIsNamed() {
        assertThatThrownBy(() -> new Balancer(List.of(idle(1))).evenly(List.of("", "thumbnail"), false))
                .isInstanceOfSatisfying(ProcessError.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_JOB_TYPE);
                    assertThat(e.getMessage()).contains("'thumbnail'");
                });
    }

    @Test
    void distributeOpenUsesOpenWorkersOnlyWhileThereAreAny() {
        assertThat(new Balancer(List.of(busy(1, 1), idle(2), busy(3, 2), idle(4))).evenly(lambdas(3), true))
                .containsExactly(2L, 4L, 2L);
        assertThat(new Balancer(List.of(busy(1, 2), busy(2, 1))).evenly(lambdas(2), true))
                .containsExactly(2L, 1L);
    }

    @Test
    void assignOpenTakesOpenWorkersThenTheFewestQueuedTiesToTheLast() {
        List<Balancer.Choice> choices = new Balancer(List.of(busy(1, 1), idle(2), busy(3, 1))).openFirst(lambdas(3));
        assertThat(choices).containsExactly(
                new Balancer.Choice(2, true), new Balancer.Choice(3, false), new Balancer.Choice(2, false));
    }
}
