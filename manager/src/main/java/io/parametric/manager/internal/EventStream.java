package io.parametric.manager.internal;

import io.parametric.manager.JobEvent;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.LogText;
import io.parametric.shared.redis.ReconnectDelay;
import io.parametric.shared.redis.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener of a fleet's job events: a daemon thread that keeps the fleet's {@code listening}
 * mark alive (so the scripts write events) and reads the capped {@code events} stream from the
 * moment it was registered. Closing it stops the thread; the mark expires {@link #MARK_TTL}
 * after the last listener of the fleet stopped refreshing it.
 */
public final class EventStream implements AutoCloseable {

    /** How long the listening mark lives without a refresh. */
    public static final Duration MARK_TTL = Duration.ofSeconds(15);

    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Duration BLOCK = Duration.ofSeconds(1);
    /** The retry delay while the stream cannot be read ("retrying every second"). */
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    private final Fleet fleet;
    private final Consumer<JobEvent> listener;
    private final Thread thread;
    private volatile boolean closed;
    private String lastId;
    private long markedAt;

    private EventStream(Fleet fleet, Consumer<JobEvent> listener) {
        this.fleet = fleet;
        this.listener = listener;
        mark();
        this.lastId = fleet.lastEventId();
        this.thread = new Thread(this::loop, "pp-events-" + fleet.keys().fleet());
        thread.setDaemon(true);
    }

    /**
     * Registers a listener: events written from now on reach it, on its own thread, in order.
     *
     * @param fleet the fleet
     * @param listener receives each event; an exception it throws is logged and the next event delivered
     * @return closes the listener
     */
    public static EventStream listen(Fleet fleet, Consumer<JobEvent> listener) {
        EventStream s = new EventStream(fleet, listener);
        s.thread.start();
        return s;
    }

    private void mark() {
        fleet.markListening(MARK_TTL);
        markedAt = System.nanoTime();
    }

    private void loop() {
        boolean away = false;
        while (!closed) {
            try {
                if (System.nanoTime() - markedAt > REFRESH.toNanos()) {
                    mark();
                }
                for (Redis.StreamEntry e : fleet.readEvents(lastId, BLOCK, 500)) {
                    lastId = e.id();
                    deliver(e);
                }
                away = false;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!away) {
                    LOG.warn("job events of fleet '{}' paused: {}; retrying every second", fleet.keys().fleet(), e.getMessage());
                    away = true;
                }
                ReconnectDelay.pause(RETRY);
            }
        }
    }

    /** How many placement times are remembered to tell a STARTED event how long its job waited. */
    private static final int PLACED_REMEMBERED = 100_000;

    /** When jobs seen PLACED were placed (Redis time), until they start; the oldest are forgotten first. */
    private final Map<String, Instant> placedAt = new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > PLACED_REMEMBERED;
        }
    };

    private void deliver(Redis.StreamEntry e) {
        JobEvent event;
        try {
            event = withWait(parse(e));
        } catch (RuntimeException bad) {
            // The message quotes the entry's fields: text from Redis, escaped so it cannot forge log lines.
            LOG.warn("skipped an unreadable event {} in fleet '{}': {}", LogText.safe(e.id()), fleet.keys().fleet(),
                    LogText.safe(bad.getMessage()));
            return;
        }
        try {
            listener.accept(event);
        } catch (RuntimeException thrown) {
            LOG.warn("an event listener of fleet '{}' threw on {}: {}", fleet.keys().fleet(), LogText.safe(String.valueOf(event)),
                    LogText.safe(thrown.toString()));
        }
    }

    /**
     * Gives a STARTED event how long its job waited, from its PLACED event (both in Redis time);
     * a job placed before this listener started has no wait. Called on the stream's one thread.
     */
    private JobEvent withWait(JobEvent event) {
        if (event.kind() == JobEvent.Kind.PLACED) {
            placedAt.put(event.jobId(), event.at());
        } else if (event.kind() == JobEvent.Kind.STARTED && event.elapsed() == null) {
            Instant placed = placedAt.remove(event.jobId());
            if (placed != null) {
                return new JobEvent(event.kind(), event.jobId(), event.pid(), event.type(), event.at(),
                        Duration.between(placed, event.at()));
            }
        }
        return event;
    }

    /**
     * @param e a stream entry written by {@code emit_event} (lib.lua)
     * @return the event
     * @throws IllegalArgumentException when a field is missing or malformed
     */
    static JobEvent parse(Redis.StreamEntry e) {
        Map<String, String> f = e.fields();
        String job = f.get("job");
        if (job == null || job.isEmpty()) {
            throw new IllegalArgumentException("no job id");
        }
        JobEvent.Kind kind = JobEvent.Kind.valueOf(String.valueOf(f.get("kind")));
        String pid = f.getOrDefault("pid", "");
        String type = f.getOrDefault("type", "");
        String ms = f.getOrDefault("ms", "");
        long at = Long.parseLong(e.id().substring(0, e.id().indexOf('-')));
        return new JobEvent(kind, job, pid.isEmpty() || pid.equals("0") ? null : Long.valueOf(pid),
                type.isEmpty() ? null : type, Instant.ofEpochMilli(at), ms.isEmpty() ? null : Duration.ofMillis(Long.parseLong(ms)));
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(BLOCK.toMillis() * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
