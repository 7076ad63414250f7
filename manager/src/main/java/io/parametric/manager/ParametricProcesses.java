package io.parametric.manager;

import io.parametric.shared.Job;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.ProcessKind;
import io.parametric.shared.Threaded;
import io.parametric.shared.protocol.FleetSecret;
import io.parametric.shared.protocol.JobPayloads;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The entry points: make a manager with workers, connect to a running fleet, make jobs.
 *
 * <pre>{@code
 * import static io.parametric.manager.ParametricProcesses.*;
 *
 * try (ProcessManager procs = processes(4)) {                     // 4 worker JVMs
 *     ProcessJob job = newJob(() -> log.info("job completed"));
 *     procs.distribute(job, job, job);
 *     procs.assign(2, newJob(() -> { Thread.sleep(100); return 55; }));
 *     Object ret = procs.waitFor(2).get(0);                        // 55
 * }
 * }</pre>
 */
public final class ParametricProcesses {

    private ParametricProcesses() {}

    /**
     * Starts n {@link Threaded} workers (worker JVMs on this host with this classpath) in a fleet
     * of their own and returns when all are registered. The fleet secret is {@code PP_SECRET}
     * (or {@code PP_SECRET_FILE}, {@code -Dpp.secret}) when set, else a random one; the workers
     * get it in their environment, never on their command line.
     *
     * @param n how many
     * @return the manager; close it to stop them
     * @throws ProcessError REDIS_UNAVAILABLE, TIMEOUT when they do not get ready, ILLEGAL_STATE in a worker
     */
    public static ProcessManager processes(int n) {
        return processes(n, Threaded.class);
    }

    /**
     * Starts n workers of a kind and returns when all are ready.
     *
     * @param n how many
     * @param kind {@code Threaded.class}, {@code Async.class}, or a kind with its own {@link ProcessBackend}
     * @param names the workers' names: none, or exactly n
     * @return the manager; close it to stop them
     * @throws IllegalArgumentException when n is negative or names is neither empty nor n long
     * @throws ProcessError REDIS_UNAVAILABLE, TIMEOUT, or ILLEGAL_STATE when called inside a worker process
     */
    public static ProcessManager processes(int n, Class<? extends ProcessKind> kind, String... names) {
        checkCount(n, names);
        notInWorker();
        ProcessManager manager = ProcessManager.owning(fleetName(), 0);
        try {
            manager.binding(kind);
            return manager.addWorkers(n, kind, names);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A manager over the workers already running in a fleet (containers, other hosts). It lists
     * the fleet's live workers afresh on each call; {@code close()} leaves them running. The fleet
     * secret the workers were started with comes from this process's configuration, as a
     * worker's does: {@code PP_SECRET}, else the file named by {@code PP_SECRET_FILE}, else
     * {@code -Dpp.secret}; {@code PP_SECRET_PREVIOUS} is accepted too while rotating.
     *
     * <pre>{@code
     * // PP_SECRET=... in the environment
     * try (ProcessManager procs = connect("redis://redis:6379", "render")) { ... }
     * }</pre>
     *
     * @param redisUrl {@code redis://[user:password@]host:port} ({@code rediss://} for TLS), a Redis
     *     Cluster {@code redis-cluster://host:port[,host:port...]} or a Sentinel group
     *     {@code redis-sentinel://host:port[,host:port...]/<master>}
     * @param fleet the fleet name the workers were started with (PP_FLEET)
     * @return the manager
     * @throws ProcessError NOT_ALLOWED when no fleet secret is set (saying how to set one) or the
     *     one set cannot be used; REDIS_UNAVAILABLE when Redis does not answer
     */
    public static ProcessManager connect(String redisUrl, String fleet) {
        return ProcessManager.connected(redisUrl, fleet, FleetSecret.required());
    }

    /**
     * A manager over the workers already running in a fleet, as {@link #connect(String, String)},
     * with the fleet secret given here instead of by configuration.
     *
     * <pre>{@code
     * try (ProcessManager procs = connect("redis://redis:6379", "render", vault.read("pp-secret"))) { ... }
     * }</pre>
     *
     * @param redisUrl {@code redis://[user:password@]host:port}, or {@code rediss://} for TLS
     * @param fleet the fleet name the workers were started with (PP_FLEET)
     * @param secret the fleet secret the workers have in {@code PP_SECRET}: at least 16 characters
     * @return the manager
     * @throws ProcessError NOT_ALLOWED when the secret is null or shorter than 16 characters;
     *     REDIS_UNAVAILABLE when Redis does not answer
     */
    public static ProcessManager connect(String redisUrl, String fleet, String secret) {
        return ProcessManager.connected(redisUrl, fleet, FleetSecret.of(secret));
    }

    /**
     * Creates ready workers in a new fleet without adding them to any manager; adopt them with
     * {@link ProcessManager#push}, which then owns and closes them.
     *
     * @param n how many
     * @param kind their kind
     * @param names their names: none, or exactly n
     * @return the workers
     * @throws ProcessError as {@link #processes(int, Class, String...)}
     */
    public static List<Worker<?>> createWorkers(int n, Class<? extends ProcessKind> kind, String... names) {
        checkCount(n, names);
        notInWorker();
        // Pids start above every pid this JVM has handed out, so pushing these into a manager
        // never collides with its own workers.
        ProcessManager origin = ProcessManager.owning(fleetName(), CompletionRouter.jvm().highestPid());
        try {
            origin.binding(kind);
            return origin.addWorkers(n, kind, names).workers();
        } catch (RuntimeException e) {
            origin.close();
            throw e;
        }
    }

    /**
     * A job without arguments and without a return.
     *
     * @param fn a serializable lambda or method reference
     * @return the job
     * @throws ProcessError BAD_PAYLOAD naming a captured value that cannot travel
     */
    public static ProcessJob newJob(Fn.Run0 fn) {
        return lambda(fn);
    }

    /**
     * A job without arguments that returns a value.
     *
     * @param fn a serializable lambda or method reference
     * @param <R> its return
     * @return the job
     * @throws ProcessError BAD_PAYLOAD naming a captured value that cannot travel
     */
    public static <R> ProcessJob newJob(Fn.Call0<R> fn) {
        return lambda(fn);
    }

    /**
     * A job of one argument.
     *
     * @param fn a serializable lambda or method reference
     * @param a the argument
     * @param <A> its type
     * @param <R> the return
     * @return the job
     * @throws ProcessError BAD_PAYLOAD naming a value that cannot travel
     */
    public static <A, R> ProcessJob newJob(Fn.Call1<A, R> fn, A a) {
        return lambda(fn, a);
    }

    /**
     * A job of two arguments: {@code newJob(Example::example, 5, "job #5")}.
     *
     * @param fn a serializable lambda or method reference
     * @param a the first argument
     * @param b the second argument
     * @param <A> the first type
     * @param <B> the second type
     * @param <R> the return
     * @return the job
     * @throws ProcessError BAD_PAYLOAD naming a value that cannot travel
     */
    public static <A, B, R> ProcessJob newJob(Fn.Call2<A, B, R> fn, A a, B b) {
        return lambda(fn, a, b);
    }

    /**
     * A job of three arguments.
     *
     * @param fn a serializable lambda or method reference
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @param <A> the first type
     * @param <B> the second type
     * @param <C> the third type
     * @param <R> the return
     * @return the job
     * @throws ProcessError BAD_PAYLOAD naming a value that cannot travel
     */
    public static <A, B, C, R> ProcessJob newJob(Fn.Call3<A, B, C, R> fn, A a, B b, C c) {
        return lambda(fn, a, b, c);
    }

    /**
     * A job of four arguments.
     *
     * @param fn a serializable lambda or method reference
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @param d the fourth argument
     * @param <A> the first type
     * @param <B> the second type
     * @param <C> the third type
     * @param <D> the fourth type
     * @param <R> the return
     * @return the job
     * @throws ProcessError BAD_PAYLOAD naming a value that cannot travel
     */
    public static <A, B, C, D, R> ProcessJob newJob(Fn.Call4<A, B, C, D, R> fn, A a, B b, C c, D d) {
        return lambda(fn, a, b, c, d);
    }

    /**
     * A job of a type registered on the workers: {@code newJob("resize", "cat.png", 640)}. It goes
     * only to workers that list the type.
     *
     * @param type the registered name
     * @param args its arguments
     * @return the job
     * @throws IllegalArgumentException for a blank type name
     * @throws ProcessError BAD_PAYLOAD naming an argument that cannot travel
     */
    public static ProcessJob newJob(String type, Object... args) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a job type name must not be blank; use the name the workers register");
        }
        return new ProcessJob(JobPayloads.type(type, args == null ? nullList() : Arrays.asList(args)));
    }

    /**
     * A job written as a record implementing {@link Job}; its components travel as JSON.
     *
     * @param job the record
     * @param <R> its return
     * @return the job
     * @throws ProcessError BAD_PAYLOAD naming a component that cannot travel
     */
    public static <R> ProcessJob newJob(Job<R> job) {
        if (job == null) {
            throw new IllegalArgumentException("job is null");
        }
        return new ProcessJob(JobPayloads.record(job));
    }

    private static ProcessJob lambda(java.io.Serializable fn, Object... args) {
        if (fn == null) {
            throw new IllegalArgumentException("the job's function is null");
        }
        return new ProcessJob(JobPayloads.lambda(fn, new ArrayList<>(Arrays.asList(args))));
    }

    private static List<Object> nullList() {
        List<Object> one = new ArrayList<>();
        one.add(null);
        return one;
    }

    /** @return the return type named by a job class's {@code Job<R>} type argument, else Object */
    static Type returnTypeOf(Job<?> job) {
        for (Class<?> c = job.getClass(); c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == Job.class) {
                    Type r = p.getActualTypeArguments()[0];
                    return r instanceof Class<?> || r instanceof ParameterizedType ? r : Object.class;
                }
            }
        }
        return Object.class;
    }

    static void checkCount(int n, String... names) {
        if (n < 0) {
            throw new IllegalArgumentException("the number of workers must be 0 or more, was " + n);
        }
        if (names != null && names.length != 0 && names.length != n) {
            throw new IllegalArgumentException(
                    "give no names or exactly " + n + " (one per worker); got " + names.length + ": " + Arrays.toString(names));
        }
        if (names != null) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("worker names must not be blank: " + Arrays.toString(names));
                }
            }
        }
    }

    private static void notInWorker() {
        if (Boolean.getBoolean("pp.worker")) {
            throw new ProcessError(Reason.ILLEGAL_STATE,
                    "processes(...) was called inside a worker process; workers must not spawn workers (a static "
                            + "initialiser or job that calls processes would fork without end) — make the manager in "
                            + "your application's main, not in code the workers load");
        }
    }

    /** @return PP_FLEET (or -Dpp.fleet) when set, else a fresh {@code pp-<random>} */
    static String fleetName() {
        String configured = System.getProperty("pp.fleet", System.getenv("PP_FLEET"));
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return "pp-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
