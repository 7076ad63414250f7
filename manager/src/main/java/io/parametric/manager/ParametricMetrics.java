package io.parametric.manager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.parametric.shared.ProcessError;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of a manager's fleet, named {@code pp.*} (Prometheus {@code pp_*}) and tagged
 * by fleet and job type only (the registered type, else the lambda's or record's class; never a
 * worker, whose names and pids never repeat). Micrometer is an optional dependency: only code
 * that uses this class needs it.
 *
 * <ul>
 *   <li>counters {@code pp.jobs.placed}, {@code .started}, {@code .completed}, {@code .failed},
 *       {@code .retried}, {@code .dead} — every job of the fleet, whichever manager placed it
 *       (from the fleet's events, which the fleet writes while this is bound);</li>
 *   <li>timers {@code pp.job.duration} (running) and {@code pp.job.wait} (placed to started);</li>
 *   <li>gauges {@code pp.backlog}, {@code pp.delayed}, {@code pp.dead}, {@code pp.queued},
 *       {@code pp.running}, {@code pp.workers} — read from {@link ProcessManager#stats()} at most
 *       once a second.</li>
 * </ul>
 *
 * <pre>{@code
 * ParametricMetrics metrics = new ParametricMetrics(procs).bind(registry);
 * ...
 * metrics.close();   // stops listening to the fleet's events
 * }</pre>
 */
public final class ParametricMetrics implements AutoCloseable {

    private static final Duration STATS_AGE = Duration.ofSeconds(1);
    private static final Map<JobEvent.Kind, String> COUNTERS = new EnumMap<>(Map.of(
            JobEvent.Kind.PLACED, "pp.jobs.placed", JobEvent.Kind.STARTED, "pp.jobs.started",
            JobEvent.Kind.COMPLETED, "pp.jobs.completed", JobEvent.Kind.FAILED, "pp.jobs.failed",
            JobEvent.Kind.RETRIED, "pp.jobs.retried", JobEvent.Kind.DEAD, "pp.jobs.dead"));

    private final ProcessManager procs;
    private MeterRegistry registry;
    private Tags fleetTag;
    private AutoCloseable events;
    private FleetStats stats;
    private long statsAt;

    /** @param procs the manager whose fleet is measured */
    public ParametricMetrics(ProcessManager procs) {
        this.procs = procs;
    }

    /**
     * Registers the meters and starts counting the fleet's job events.
     *
     * @param registry where the meters go
     * @return this, to close later
     * @throws ProcessError ILLEGAL_STATE when already bound, or for a manager without Redis
     */
    public synchronized ParametricMetrics bind(MeterRegistry registry) {
        if (this.registry != null) {
            throw new ProcessError(ProcessError.Reason.ILLEGAL_STATE, "these ParametricMetrics are already bound; make one per registry");
        }
        this.fleetTag = Tags.of("fleet", procs.stats().fleet());
        this.registry = registry;
        gauge("pp.backlog", "jobs on the fleet backlog", FleetStats::backlog);
        gauge("pp.delayed", "jobs waiting to be due", FleetStats::delayed);
        gauge("pp.dead", "entries of the dead-letter list", FleetStats::dead);
        gauge("pp.queued", "jobs queued on workers", FleetStats::queued);
        gauge("pp.running", "jobs running", FleetStats::running);
        gauge("pp.workers", "live workers", s -> s.workers().size());
        this.events = procs.onEvent(this::count);
        return this;
    }

    private void gauge(String name, String description, ToLongFunction<FleetStats> value) {
        Gauge.builder(name, this, m -> m.read(value)).tags(fleetTag).description(description).register(registry);
    }

    /** One stats read serves every gauge of a scrape; NaN while Redis does not answer. */
    private synchronized double read(ToLongFunction<FleetStats> value) {
        long now = System.nanoTime();
        if (stats == null || now - statsAt > STATS_AGE.toNanos()) {
            try {
                stats = procs.stats();
                statsAt = now;
            } catch (ProcessError e) {
                return Double.NaN;
            }
        }
        return value.applyAsLong(stats);
    }

    private void count(JobEvent e) {
        String counter = COUNTERS.get(e.kind());
        if (counter == null) {
            return;
        }
        Tags tags = fleetTag.and("type", e.type() == null ? "unknown" : e.type());
        Counter.builder(counter).tags(tags).register(registry).increment();
        if (e.elapsed() != null && e.kind() == JobEvent.Kind.STARTED) {
            Timer.builder("pp.job.wait").description("from placed to started").tags(tags).register(registry).record(e.elapsed());
        } else if (e.elapsed() != null && (e.kind() == JobEvent.Kind.COMPLETED || e.kind() == JobEvent.Kind.FAILED)) {
            Timer.builder("pp.job.duration").description("how long jobs ran").tags(tags).register(registry).record(e.elapsed());
        }
    }

    /** Stops counting events; the registered meters stay (their gauges keep reading the fleet). */
    @Override
    public synchronized void close() {
        if (events != null) {
            try {
                events.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the event listener: " + e.getMessage(), e);
            }
            events = null;
        }
    }
}
