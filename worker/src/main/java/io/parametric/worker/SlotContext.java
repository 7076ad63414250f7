package io.parametric.worker;

import io.parametric.shared.JobContext;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Json;

/**
 * The {@link JobContext} of a job running on a slot: shared values and progress go through the
 * fleet, waiting out Redis outages like the slot does.
 */
final class SlotContext implements JobContext {

    private final Fleet fleet;
    private final Recovery recovery;
    private final long pid;
    private final String workerName;
    private final String jobId;
    private final int attempt;

    SlotContext(Fleet fleet, Recovery recovery, long pid, String workerName, String jobId, int attempt) {
        this.fleet = fleet;
        this.recovery = recovery;
        this.pid = pid;
        this.workerName = workerName;
        this.jobId = jobId;
        this.attempt = attempt;
    }

    @Override
    public <T> T fetch(String name, Class<T> type) {
        String json = recovery.call(() -> fleet.fetchValue(pid, name));
        return json == null ? null : Json.read(json, type);
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
    public long pid() {
        return pid;
    }

    @Override
    public String workerName() {
        return workerName;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public void progress(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress " + fraction + " is not between 0 and 1");
        }
        recovery.call(() -> {
            fleet.progress(jobId, fraction);
            return null;
        });
    }
}
