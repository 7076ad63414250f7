package io.parametric.worker;

import io.parametric.shared.ProcessError;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetShards;
import io.parametric.shared.protocol.Limits;
import io.parametric.shared.protocol.Reaper;
import io.parametric.shared.redis.Redis;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops one worker process: the Redis connection, the job class loader and registry,
 * one {@link Slot} thread per slot, the {@link Heartbeat} thread and the shutdown hook (SIGTERM:
 * stop fetching, hand queued jobs to the fleet, wait for running jobs up to the shutdown timeout,
 * hand back what is left, deregister, halt with status 0).
 */
final class Launcher {

    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    private final WorkerConfig config;
    private final Recovery recovery = new Recovery();
    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final List<Thread> slotThreads = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final PrintStream announceTo;
    /** The shard this process joined; set once by the join thread. */
    private volatile Fleet fleet;
    private volatile Heartbeat heartbeat;
    private JobWatchdog watchdog;
    private volatile WorkerSignals signals;
    private final Set<Slot> announced = ConcurrentHashMap.newKeySet();

    Launcher(WorkerConfig config, PrintStream announceTo) {
        this.config = config;
        this.announceTo = announceTo;
    }

    /**
     * Starts the process: the shutdown hook at once, then (on a thread of its own, waiting out a
     * Redis that does not answer yet) it joins a shard of the fleet and starts the slots and the
     * heartbeat; returns at once (the threads keep the JVM alive).
     */
    void start() {
        Redis redis = new Redis(config.redisUrl(), config.slots() * 2 + 4);
        FleetShards shards = new FleetShards(redis, config.fleet(), config.secret(), Limits.jobTtl());
        config.secret().warning().ifPresent(log::warn);
        if (!config.privateRedis()) {
            warnAboutDurability(shards.base());
        }
        watchdog = new JobWatchdog(JobWatchdog.DEFAULT_GRACE, this::jobStuck);
        ClassLoader loader = jobLoader(config.jobs());
        JobRegistry.discover(loader);
        Allowlist allowlist = Allowlist.of(config.allow());
        log.info("worker process {} starting: {} slot(s) in fleet '{}' at {}; job types {}; allowed classes: {}",
                ProcessHandle.current().pid(), config.slots(), config.fleet(), redis.url(), JobRegistry.names(),
                allowlist.prefixes().isEmpty() ? "none (registered types only)" : allowlist);
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "pp-shutdown"));
        JobObserver observer = MetricsPort.startIfConfigured(config.fleet(), redis::ping, config.slots(),
                () -> (int) slots.stream().filter(Slot::isRunningJob).count());
        new Thread(() -> {
            try {
                fleet = recovery.call(() -> join(shards), shuttingDown::get);
            } catch (Recovery.GaveUp e) {
                return;
            } catch (RuntimeException e) {
                FatalExit.slotFailed(e, config.redisUrl());
                return;
            }
            startSlots(new JobRunner(allowlist, loader, fleet::noteMissingClass), observer);
        }, "pp-join").start();
    }

    /**
     * Applies the fleet settings this process was given (PP_SHARDS, PP_BACKLOG_LIMIT) and chooses
     * the shard its slots join.
     *
     * @return the shard
     */
    private Fleet join(FleetShards shards) {
        if (config.shards() != null) {
            shards.raiseTo(config.shards());
        }
        shards.refresh();
        applyBacklogLimit(shards);
        Fleet joined = shards.forNewWorker();
        if (shards.count() > 1) {
            log.info("fleet '{}' has {} shards; this process joins shard {}", config.fleet(), shards.count(), joined.keys().shard());
        }
        return joined;
    }

    /** Starts the slots, the signals listener and the heartbeat on the shard joined. */
    private synchronized void startSlots(JobRunner runner, JobObserver observer) {
        if (shuttingDown.get()) {
            return;
        }
        String host = hostName();
        signals = new WorkerSignals(fleet, slots, watchdog);
        for (int i = 0; i < config.slots(); i++) {
            Slot slot = new Slot(fleet, runner, recovery, config, host, this::registered, watchdog, observer);
            slots.add(slot);
            Thread t = new Thread(() -> {
                try {
                    slot.run();
                } catch (Throwable e) {
                    // Only joining the fleet can end a slot this way: never exit quietly, never with 0.
                    FatalExit.slotFailed(e, config.redisUrl());
                }
                slotEnded();
            }, "pp-slot-" + (i + 1));
            slotThreads.add(t);
        }
        Reaper reaper = new Reaper(fleet, config.lease(), "worker-process-" + ProcessHandle.current().pid());
        heartbeat = new Heartbeat(fleet, recovery, slots, config.heartbeat(), config.parentPid(),
                () -> new Thread(() -> System.exit(0), "pp-parent-gone").start(), reaper);
        Thread hb = new Thread(heartbeat, "pp-heartbeat");
        hb.setDaemon(true);
        Thread listener = new Thread(signals, "pp-signals");
        listener.setDaemon(true);
        listener.start();
        slotThreads.forEach(Thread::start);
        hb.start();
    }

    /** Sets the backlog limit of every shard when this worker was given one (PP_BACKLOG_LIMIT). */
    private void applyBacklogLimit(FleetShards shards) {
        if (config.backlogLimit() == null) {
            return;
        }
        try {
            shards.backlogLimit(config.backlogLimit());
            log.info("fleet '{}': backlog limit {}", config.fleet(),
                    config.backlogLimit() == 0 ? "removed (no limit)" : "set to " + config.backlogLimit() + " jobs");
        } catch (ProcessError e) {
            log.warn("fleet '{}': the backlog limit (PP_BACKLOG_LIMIT={}) was not set: {}; set it with ProcessManager.backlogLimit(n), or"
                    + " restart this worker once Redis answers", config.fleet(), config.backlogLimit(), e.getMessage());
        }
    }

    /**
     * Production Redis needs AOF and noeviction to lose nothing; say so once, at start (not for
     * the private redis-server of the manager that spawned this worker: it ends with that manager).
     */
    private void warnAboutDurability(Fleet fleet) {
        try {
            fleet.durabilityWarnings().forEach(w -> log.warn("{}", w));
        } catch (RuntimeException e) {
            if (!Recovery.isConnectionError(e)) { // no connection: the slots say so (or why they cannot go on)
                log.warn("cannot check the Redis settings at start: {}", e.toString());
            }
        }
    }

    /**
     * A job ignored its timeout's interrupt for the grace period: its thread cannot be stopped.
     * Record its JOB_TIMEOUT (it is not redelivered), hand the other slots' jobs to the fleet, and
     * exit with status {@value #EXIT_STUCK_JOB} so the process is restarted (by its orchestrator,
     * or by the manager that spawned it).
     */
    private void jobStuck(JobWatchdog.Stuck stuck) {
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        Thread exit = new Thread(() -> Runtime.getRuntime().halt(EXIT_STUCK_JOB), "pp-stuck-exit");
        try {
            for (Slot slot : slots) {
                slot.requestStop();
                try {
                    if (slot.failStuck(stuck)) {
                        log.error("worker {} ({}): job {} ignored its timeout; recorded JOB_TIMEOUT, restarting the process",
                                slot.pid(), slot.name(), stuck.payload().id());
                    }
                    slot.deregister("its worker process restarts: another job ignored its timeout",
                            () -> true);
                } catch (RuntimeException e) {
                    log.warn("worker {} could not hand its jobs back before the restart: {}", slot.pid(), e.toString());
                }
            }
        } finally {
            System.out.flush();
            System.err.flush();
            exit.start();
        }
    }

    /** Exit status of a worker process whose job ignored its timeout: it must be restarted. */
    static final int EXIT_STUCK_JOB = 70;

    private void registered(Slot slot) {
        signals.watch(slot);
        // One PP_READY per slot: a slot that registers again (Redis lost its data, or it rejoined
        // after being declared dead) is not a new worker for whoever started the process.
        if (config.announce() && announced.add(slot)) {
            synchronized (announceTo) {
                announceTo.println("PP_READY " + slot.pid() + " " + slot.name());
                announceTo.flush();
            }
        }
    }

    /** When every slot was closed by the fleet, the process has nothing left to do. */
    private void slotEnded() {
        if (!shuttingDown.get() && slots.stream().allMatch(Slot::closedByFleet)) {
            log.info("every slot of this process was closed; exiting");
            new Thread(() -> System.exit(0), "pp-all-closed").start();
        }
    }

    /** The shutdown hook: SIGTERM, SIGINT, the parent gone, or every slot closed. */
    private void shutdown() {
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            // Slots being started by the join thread are all listed once this lock is free.
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        // A final grace for the Redis calls that deregister, past the job deadline.
        long lastCall = deadline + Duration.ofSeconds(5).toNanos();
        Thread watchdog = new Thread(() -> {
            sleepUntil(lastCall + Duration.ofSeconds(5).toNanos());
            Runtime.getRuntime().halt(0);
        }, "pp-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            log.info("shutting down: no new jobs; running jobs get up to {} s", config.shutdownTimeout().toSeconds());
            slots.forEach(Slot::requestStop);
            for (Slot slot : slots) {
                try {
                    slot.handOffQueued(() -> System.nanoTime() > deadline);
                } catch (RuntimeException e) {
                    log.warn("worker {} could not hand off its queued jobs: {}", slot.pid(), e.toString());
                }
            }
            for (Thread t : slotThreads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
            }
            if (heartbeat != null) {
                heartbeat.stop();
            }
            if (signals != null) {
                signals.stop();
            }
            for (Slot slot : slots) {
                boolean unfinished = slot.isRunningJob();
                if (unfinished) {
                    log.warn("worker {} ({}): its job did not finish within the shutdown timeout; handing it back", slot.pid(), slot.name());
                }
                try {
                    slot.deregister(unfinished ? "its worker shut down before the job finished" : "its worker shut down",
                            () -> System.nanoTime() > lastCall);
                } catch (RuntimeException e) {
                    log.warn("worker {} could not deregister: {}", slot.pid(), e.toString());
                }
            }
            log.info("worker process {} stopped", ProcessHandle.current().pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            System.out.flush();
            System.err.flush();
            // The JVM's own status after SIGTERM is 143; a clean shutdown exits 0.
            Runtime.getRuntime().halt(0);
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * @param jobs the {@code PP_JOBS} paths: jars, class folders, folders of jars
     * @return a loader over them, the worker's own loader as parent
     */
    static ClassLoader jobLoader(List<Path> jobs) {
        ClassLoader parent = Launcher.class.getClassLoader();
        if (jobs.isEmpty()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (Path p : jobs) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("job path " + p + " (--jobs / PP_JOBS) does not exist");
            }
            urls.add(url(p));
            // A folder is a class folder and, as in the worker image's /opt/parametric/jobs, a
            // place to drop job jars: its jars join too, in name order.
            if (Files.isDirectory(p)) {
                try (var entries = Files.list(p)) {
                    for (Path jar : entries.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(url(jar));
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("job folder " + p + " cannot be listed: " + e.getMessage(), e);
                }
            }
        }
        return new URLClassLoader("pp-jobs", urls.toArray(URL[]::new), parent);
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("job path " + p + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
