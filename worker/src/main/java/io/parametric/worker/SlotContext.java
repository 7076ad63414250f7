package io.parametric.worker;

import io.parametric.shared.JobContext;
import io.parametric.shared.protocol.Fleet;

/**
 * The {@link JobContext} of a job running on a slot: shared values and progress go through the
 * fleet, waiting out Redis outages like the slot does.
 */
final class SlotContext extends AbstractJobContext {

    private final Fleet fleet;
    private final Recovery recovery;

    SlotContext(Fleet fleet, Recovery recovery, long pid, String workerName, String jobId, int attempt) {
        super(pid, workerName, jobId, attempt);
        this.fleet = fleet;
        this.recovery = recovery;
    }

    @Override
    protected String valueJson(String name) {
        return recovery.call(() -> fleet.fetchValue(pid(), name));
    }

    @Override
    public void put(String name, Object value) {
        recovery.call(() -> {
            fleet.putValue(name, value);
            return null;
        });
    }

    @Override
    public long increment(String name, long delta) {
        return recovery.call(() -> fleet.increment(name, delta));
    }

    @Override
    public void progress(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress " + fraction + " is not between 0 and 1");
        }
        recovery.call(() -> {
            fleet.progress(jobId(), fraction);
            return null;
        });
    }
}
