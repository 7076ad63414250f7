package io.parametric.worker;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.WorkerState;
import io.parametric.shared.redis.ReconnectDelay;
import io.parametric.shared.redis.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one subscribed connection of a worker process. The fleet signals a slot on its channel
 * ({@code FleetKeys.signals}): {@code j} a job was queued on it, {@code J <id> <entry>} a job was
 * handed to it (started, see {@link Slot#handOver}), {@code c <job id>} cancel that
 * running job, {@code x} it was closed. So work, a cancellation or a close reaches a slot at once,
 * without polling. Pub/sub drops what is sent while the connection is down, so each time it
 * (re)subscribes the slots are woken and their stored state and cancel fields are read again.
 */
final class WorkerSignals implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkerSignals.class);
    /** How often to look again while no slot has a channel to listen to yet. */
    private static final Duration NO_CHANNEL_YET = Duration.ofMillis(100);

    private final Fleet fleet;
    private final List<Slot> slots;
    private final JobWatchdog watchdog;
    private final Map<String, Slot> byChannel = new ConcurrentHashMap<>();
    /** The channels of the current subscription. */
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Subscription subscription = new Subscription(this::onMessage, this::onSubscribed);
    private volatile boolean stopped;

    /**
     * @param fleet the fleet
     * @param slots the process's slots
     * @param watchdog interrupts cancelled jobs
     */
    WorkerSignals(Fleet fleet, List<Slot> slots, JobWatchdog watchdog) {
        this.fleet = fleet;
        this.slots = slots;
        this.watchdog = watchdog;
    }

    /**
     * Listens to a slot's channel from now on; called each time a slot registers.
     *
     * @param slot the slot
     */
    void watch(Slot slot) {
        String channel = fleet.keys().signals(slot.pid());
        if (byChannel.put(channel, slot) == null && subscription.add(channel)) {
            subscribed.add(channel);
        }
        // Else the next (re)subscription names it, or onSubscribed adds it.
    }

    /** Stops listening. */
    void stop() {
        stopped = true;
        subscription.close();
    }

    @Override
    public void run() {
        boolean away = false;
        while (!stopped) {
            List<String> channels = List.copyOf(byChannel.keySet());
            if (channels.isEmpty()) {
                ReconnectDelay.pause(NO_CHANNEL_YET);
                continue;
            }
            try {
                subscribed.clear();
                subscribed.addAll(channels);
                fleet.listen(subscription, channels);
                away = false;
            } catch (ProcessError e) {
                if (stopped) {
                    return;
                }
                if (!away) {
                    log.warn("worker signals paused: {}", e.getMessage());
                    away = true;
                }
                ReconnectDelay.pause(ReconnectDelay.DEFAULT);
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                log.warn("worker signals: {}; listening again", e.toString());
                ReconnectDelay.pause(ReconnectDelay.DEFAULT);
            }
        }
    }

    private void onMessage(String channel, String message) {
        Slot slot = byChannel.get(channel);
        if (slot == null || message == null) {
            return;
        }
        if (message.equals("j")) {
            slot.wake();
        } else if (message.startsWith("J ")) {
            handOver(slot, message);
        } else if (message.equals("x")) {
            slot.requestResync();
            slot.wake();
        } else if (message.startsWith("c ")) {
            cancel(slot.pid(), message.substring(2));
        }
    }

    /**
     * A job handed to an idle slot by its placement ({@code J <id> <entry>}): already in the
     * slot's in-flight list, its delivery counted. The slot checks the entry (signature first) as
     * it checks a taken one; a message that is not in this form, or longer than an entry may be,
     * only wakes the slot, whose take then finds whatever its in-flight list holds.
     */
    private void handOver(Slot slot, String message) {
        Fleet.TakenJob job = handedJob(message, fleet.maxPayloadBytes());
        if (job == null) {
            slot.wake();
        } else {
            slot.handOver(job);
        }
    }

    /**
     * @param message a {@code J <id> <entry>} message
     * @param maxBytes the most bytes an entry may have
     * @return the job it hands over, its entry as UTF-8 bytes; null when it is not in that form or
     *     its entry is longer than {@code maxBytes} (counted in characters first, then in bytes: a
     *     character may take 4)
     */
    static Fleet.TakenJob handedJob(String message, int maxBytes) {
        int space = message.indexOf(' ', 2);
        if (space < 3 || message.length() - space - 1 > maxBytes) {
            return null;
        }
        byte[] entry = message.substring(space + 1).getBytes(StandardCharsets.UTF_8);
        return entry.length > maxBytes ? null : new Fleet.TakenJob(message.substring(2, space), entry, 1);
    }

    /** Reads what may have been missed while not subscribed: closes and cancellations. */
    private void onSubscribed() {
        // A slot that registered while this subscription was being made is added now.
        for (String channel : byChannel.keySet()) {
            if (subscribed.add(channel)) {
                subscription.add(channel);
            }
        }
        for (Slot slot : slots) {
            if (!slot.isLive()) {
                continue;
            }
            long pid = slot.pid();
            slot.wake();
            try {
                if (!fleet.workerState(pid).map(WorkerState::takesJobs).orElse(false)) {
                    slot.requestResync();
                }
                fleet.cancelRequests(pid).forEach(jobId -> cancel(pid, jobId));
            } catch (RuntimeException e) {
                log.warn("worker {}: cannot re-read its signals after subscribing: {}", pid, e.toString());
                slot.requestResync();
            }
        }
    }

    private void cancel(long pid, String jobId) {
        watchdog.cancel(jobId);
        try {
            fleet.clearCancelRequests(pid);
        } catch (RuntimeException e) {
            log.debug("worker {}: cancel field not cleared ({}); it is read again on resubscribe", pid, e.toString());
        }
    }
}
