package io.parametric.manager;

import static io.parametric.manager.ParametricProcesses.connect;
import static io.parametric.manager.ParametricProcesses.newJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.testing.TestSecret;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code connect()} manager places on membership the fleet keeps fresh (issue 10): a placement
 * sends as many commands to a fleet of 50 workers as to one of 5, and the cached membership follows
 * registrations, closes and a dropped subscription. Workers here are registered with
 * {@link Fleet#register} only (no process runs their jobs), each on a private Redis so
 * {@code INFO commandstats} counts this manager alone.
 */
class ConnectedMembershipIT {

    private static final int ROUNDS = 40;

    private RegisteredFleet local;

    @BeforeEach
    void start() {
        local = new RegisteredFleet();
    }

    @AfterEach
    void stop() {
        System.clearProperty("pp.lease");
        local.close();
    }

    @Test
    void aPlacementSendsAsManyCommandsToFiftyWorkersAsToFive() {
        long five = commandsPerRound(5);
        long fifty = commandsPerRound(50);
        System.out.println("[measured] commands of " + ROUNDS + " rounds of submit + assign(pid) + submit(pid) + getReturn(pid)"
                + " on a connect() manager: 5 workers " + five + ", 50 workers " + fifty);
        // Listing the fleet costs 3 commands per worker and call: 45 × 3 × 4 × 40 more at 50 workers.
        // Background ticks (reaper, completion listener) may add a few.
        assertThat(fifty - five).isLessThan(ROUNDS / 2);
    }

    /** @return the commands a connect() manager sent for {@value #ROUNDS} rounds of placements on n registered workers */
    private long commandsPerRound(int n) {
        Fleet fleet = local.fleet("cost-" + n);
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pids.add(RegisteredFleet.register(fleet));
        }
        // INFO commandstats counts the commands scripts run too: with no worker open, every submit
        // takes the same path through the place script (to the backlog) whatever the fleet's size.
        local.redis.del(fleet.keys().openWorkers());
        try (ProcessManager procs = connect(local.url(), fleet.keys().fleet(), TestSecret.VALUE)) {
            long pid = pids.get(n - 1);
            JobFuture<Object> warm = procs.submit(newJob(() -> 0));
            await().until(warm::isPlaced);
            long before = local.calls(null);
            List<JobFuture<Object>> placed = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                placed.add(procs.submit(newJob(() -> 1)));
                procs.assign(pid, newJob(() -> 2));
                placed.add(procs.submit(pid, newJob(() -> 3)));
                procs.getReturn(pid);
            }
            await().until(() -> placed.stream().allMatch(JobFuture::isPlaced));
            long used = local.calls(null) - before;
            assertThat(local.redis.llen(fleet.keys().pending(pid))).isGreaterThanOrEqualTo(2L * ROUNDS);
            return used;
        }
    }

    @Test
    void theCachedMembershipFollowsRegistrationsClosesAndADroppedSubscription() {
        // A lease longer than the test: only messages and the re-read after a resubscription can update the cache.
        System.setProperty("pp.lease", "10m");
        Fleet fleet = local.fleet("members");
        long first = RegisteredFleet.register(fleet);
        try (ProcessManager procs = connect(local.url(), fleet.keys().fleet(), TestSecret.VALUE)) {
            Membership members = procs.membership();
            assertThat(Membership.pidsOf(members.cached())).containsExactly(first);

            long joined = RegisteredFleet.register(fleet);
            await().until(() -> Membership.pidsOf(members.cached()).equals(List.of(first, joined)));

            fleet.rehome(first, false, "closed", "closed by the test");
            await().until(() -> Membership.pidsOf(members.cached()).equals(List.of(joined)));
            assertThatThrownBy(() -> procs.assign(first, newJob(() -> 1)))
                    .isInstanceOfSatisfying(ProcessError.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_WORKER));

            // A worker that joins without a message (one lost while the subscription was down) is
            // found by the re-read that follows the next subscription.
            long silent = fleet.newPid();
            local.redis.zadd(fleet.keys().workers(), System.currentTimeMillis(), Long.toString(silent));
            assertThat(local.dropSubscriptions()).isPositive();
            await().until(() -> Membership.pidsOf(members.cached()).equals(List.of(joined, silent)));

            // workers() stays a fresh read: the silent worker has no record, so it reads as closed.
            assertThat(procs.workerPids()).containsExactly(joined, silent);
        }
    }
}
