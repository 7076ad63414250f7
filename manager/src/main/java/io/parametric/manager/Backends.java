package io.parametric.manager;

import io.parametric.manager.internal.FleetConnection;
import io.parametric.manager.internal.RedisLocator;
import io.parametric.manager.internal.SharedValues;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.FleetShards;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One manager's backends: kind → bound backend (found through {@link ServiceLoader} and bound on
 * first use), the Redis fleet connection (made when the first backend that {@link
 * ProcessBackend#usesRedis() uses Redis} is bound, or given by {@code connect}), where shared
 * values live, and the pids workers get.
 */
final class Backends {

    private final ProcessManager manager;
    private final String managerId;
    private final String fleetName;
    private final long pidFloor;
    private final CompletionRouter router;
    private final JobTracker tracker;
    private final LongSupplier listedMaxPid;
    private final Map<Class<? extends ProcessKind>, Binding> bindings = new LinkedHashMap<>();
    private final AtomicLong localPids;
    private final SharedValues memoryValues = SharedValues.inMemory();
    private volatile FleetConnection connection;
    /** The kind the manager was made with; guarded by this. */
    private Class<? extends ProcessKind> firstKind;

    /**
     * @param manager the manager the bindings serve
     * @param managerId its id (its completion list)
     * @param fleetName the fleet its Redis-backed workers join
     * @param pidFloor pids start above this
     * @param router where outcomes go
     * @param tracker the manager's jobs, looked up after a Redis outage and swept for vanished ones
     * @param listedMaxPid the highest pid the manager lists
     */
    Backends(ProcessManager manager, String managerId, String fleetName, long pidFloor, CompletionRouter router,
             JobTracker tracker, LongSupplier listedMaxPid) {
        this.manager = manager;
        this.managerId = managerId;
        this.fleetName = fleetName;
        this.pidFloor = pidFloor;
        this.router = router;
        this.tracker = tracker;
        this.listedMaxPid = listedMaxPid;
        this.localPids = new AtomicLong(pidFloor);
    }

    String managerId() {
        return managerId;
    }

    String fleetName() {
        return fleetName;
    }

    CompletionRouter router() {
        return router;
    }

    /** Joins the fleet of a running Redis (for {@code connect}) with the fleet's secret. */
    void connect(String url, FleetSecret secret) {
        connection = open(new RedisLocator.Found(RedisLocator.answering(url, "connect(...)"), url, null, "connect(...)"),
                secret);
    }

    private FleetConnection open(RedisLocator.Found found, FleetSecret secret) {
        return new FleetConnection(found, fleetName, secret, managerId, router::deliver, tracker,
                tracker::waitsForAny);
    }

    /** @return the fleet connection, when the manager has one */
    Optional<FleetConnection> connection() {
        return Optional.ofNullable(connection);
    }

    /** @return the fleet, when the manager has a Redis */
    Optional<Fleet> fleet() {
        return connection().map(FleetConnection::fleet);
    }

    /** @return the fleet's shards, when the manager has a Redis */
    Optional<FleetShards> shards() {
        return connection().map(FleetConnection::shards);
    }

    /** @return where shared values live: the fleet's Redis, else this JVM */
    SharedValues values() {
        FleetConnection c = connection;
        return c == null ? memoryValues : SharedValues.in(c.fleet());
    }

    /** @return the binding of a kind, made (with its backend, and Redis when it needs one) on first use */
    synchronized Binding binding(Class<? extends ProcessKind> kind) {
        Binding b = bindings.get(kind);
        if (b != null) {
            return b;
        }
        ProcessBackend backend = backendFor(kind);
        if (backend.usesRedis() && connection == null) {
            // Workers this manager spawns get the secret in their environment: a fleet of its own
            // needs none configured.
            FleetConnection c = open(RedisLocator.locate(), FleetSecret.configured().orElseGet(FleetSecret::generate));
            // Pids already given to in-JVM workers, adopted, or listed from before a close must
            // never come out of the fleet counter (a new private Redis starts it from zero).
            long floor = Math.max(Math.max(localPids.get(), pidFloor), listedMaxPid.getAsLong());
            if (floor > 0) {
                c.fleet().reservePidsUpTo(floor);
            }
            connection = c;
        }
        b = new Binding(manager, this, backend);
        backend.bind(b);
        bindings.put(kind, b);
        if (firstKind == null) {
            firstKind = kind;
        }
        return b;
    }

    /** @return the kind the manager was made with, Threaded when none */
    synchronized Class<? extends ProcessKind> firstKind() {
        return firstKind != null ? firstKind : io.parametric.shared.Threaded.class;
    }

    /** @return the first bound backend that uses Redis, or null */
    synchronized Binding redisBinding() {
        for (Binding b : bindings.values()) {
            if (b.backend().usesRedis()) {
                return b;
            }
        }
        return null;
    }

    /** @return a new pid, from the fleet's counter when the manager has Redis */
    long newPid() {
        FleetConnection c = connection;
        long pid;
        if (c != null) {
            pid = c.fleet().newPid();
        } else {
            localPids.accumulateAndGet(listedMaxPid.getAsLong(), Math::max);
            pid = localPids.incrementAndGet();
        }
        router.handedOut(pid);
        return pid;
    }

    /** Keeps pids up to this one from being handed out again (an adopted worker's). */
    void reservePids(long pid) {
        localPids.accumulateAndGet(pid, Math::max);
        FleetConnection c = connection;
        if (c != null) {
            c.fleet().reservePidsUpTo(pid);
        }
    }

    /**
     * Releases and closes every backend and the fleet connection; {@link #binding} starts afresh
     * afterwards (the seed adds workers after close).
     *
     * @return the failures of backends that did not close cleanly
     */
    List<RuntimeException> close() {
        List<Binding> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(bindings.values());
            bindings.clear();
        }
        toClose.forEach(Binding::release);
        List<RuntimeException> failures = new ArrayList<>();
        for (Binding b : toClose) {
            try {
                b.backend().close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        FleetConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        return failures;
    }

    static ProcessBackend backendFor(Class<? extends ProcessKind> kind) {
        for (ClassLoader loader : new ClassLoader[] {ProcessBackend.class.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
            for (ProcessBackend backend : ServiceLoader.load(ProcessBackend.class, loader)) {
                if (backend.kind() == kind) {
                    return backend;
                }
            }
        }
        throw new ProcessError(Reason.ILLEGAL_STATE,
                "no ProcessBackend for kind " + kind.getName() + "; implement io.parametric.manager.ProcessBackend and list it in "
                        + "META-INF/services/io.parametric.manager.ProcessBackend");
    }
}
