package io.parametric.worker;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.Reaper;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per worker process: refreshes the heartbeat of every live slot (timed by Redis's
 * clock, in the script), tells a slot to check itself when the fleet no longer lists it or its
 * manager closed it, wakes an idle slot whose jobs no message announced, and watches the parent
 * process given with {@code --parent-pid}. Each beat it also runs a {@link Reaper} tick (the
 * fleet reaps at most once per half lease, whoever runs it; the tick also promotes due delayed
 * jobs and retries) and hands cancel requests for running jobs to the {@link JobWatchdog}. It keeps the {@link ProbeFile}s of container probes fresh.
 */
final class Heartbeat implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final Fleet fleet;
    private final Recovery recovery;
    private final List<Slot> slots;
    private final Duration interval;
    private final Long parentPid;
    private final Runnable onParentGone;
    private final Reaper reaper;
    private final ProbeFile liveness = ProbeFile.liveness();
    private final ProbeFile readiness = ProbeFile.readiness();
    private volatile boolean stopped;
    private long nextReap = System.nanoTime();

    Heartbeat(Fleet fleet, Recovery recovery, List<Slot> slots, Duration interval, Long parentPid, Runnable onParentGone,
              Reaper reaper) {
        this.reaper = reaper;
        this.fleet = fleet;
        this.recovery = recovery;
        this.slots = slots;
        this.interval = interval;
        this.parentPid = parentPid;
        this.onParentGone = onParentGone;
    }

    /** Stops after the current beat. */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            liveness.touch();
            try {
                if (parentGone()) {
                    log.info("parent process {} is gone; shutting down", parentPid);
                    stopped = true;
                    onParentGone.run();
                    return;
                }
                if (beat()) {
                    readiness.touch();
                } else {
                    readiness.remove();
                }
            } catch (Recovery.GaveUp e) {
                readiness.remove();
                continue;
            } catch (RuntimeException e) {
                readiness.remove();
                log.warn("heartbeat failed, trying again next beat: {}", e.toString());
            }
            sleep();
        }
    }

    /**
     * Polled while a beat waits out a Redis outage: the thread is alive and waiting, which is not
     * a reason for an orchestrator to restart the worker, so the liveness file stays fresh; the
     * worker cannot take jobs, so it is not ready.
     */
    private boolean shouldStop() {
        liveness.touch();
        readiness.remove();
        return stopped || parentGone();
    }

    private boolean parentGone() {
        return parentPid != null && !ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** @return true when Redis took the heartbeat of at least one registered slot (the worker is ready) */
    private boolean beat() {
        List<Slot> live = slots.stream().filter(Slot::isLive).toList();
        if (live.isEmpty()) {
            return false;
        }
        Fleet.Beat beat = recovery.call(() -> fleet.heartbeat(live.stream().map(Slot::pid).toList()), this::shouldStop);
        // Closes and cancellations arrive on the slots' signals channels (WorkerSignals); the
        // heartbeat learns which slots the fleet no longer counts as live, and where jobs wait for
        // an idle slot that no wake-up reached (a lost message, a backlog job nobody offered it).
        Set<Long> gone = new HashSet<>(beat.gone());
        Set<Long> queued = new HashSet<>(beat.queued());
        for (Slot slot : live) {
            if (gone.contains(slot.pid())) {
                slot.requestResync();
            } else {
                slot.nudge(queued.contains(slot.pid()), beat.backlog());
            }
        }
        // After this process's own heartbeats, so it never reaps itself for its own slowness;
        // once per lease (twice the reaper lock period): managers tick more often, so a fleet with
        // a manager reaps within 1.5 leases, one of workers alone within 2, and an idle worker
        // costs under one command per second.
        if (System.nanoTime() - nextReap >= 0) {
            reaper.tick();
            nextReap = System.nanoTime() + reaper.lockPeriod().multipliedBy(2).toNanos();
        }
        return true;
    }

    private void sleep() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            stopped = true;
            Thread.currentThread().interrupt();
        }
    }
}
