package io.parametric.worker;

import io.parametric.shared.JobContext;
import io.parametric.shared.JobType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job types this JVM's workers run, by name: registered explicitly, or found through
 * {@link ServiceLoader} ({@code META-INF/services/io.parametric.shared.JobType}). An explicit
 * registration wins over a discovered type of the same name. Process-wide and thread-safe.
 *
 * <pre>{@code
 * JobRegistry.register("resize", List.of(String.class, Integer.class),
 *         (ctx, args) -> args[0] + "@" + args[1]);
 * JobRegistry.register("echo", (ctx, args) -> args.length == 1 ? args[0] : List.of(args));
 * }</pre>
 */
public final class JobRegistry {

    private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);

    private static final Map<String, JobType> registered = new ConcurrentHashMap<>();
    private static final Map<String, JobType> discovered = new ConcurrentHashMap<>();
    private static final Set<ClassLoader> searched = ConcurrentHashMap.newKeySet();

    private JobRegistry() {}

    /** The code of a job type registered with {@link #register(String, List, Handler)}. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Runs one job.
         *
         * @param ctx the running job's context
         * @param args the arguments, converted to the registered parameter types
         * @return the job's return, which must serialize to JSON
         * @throws Exception anything; it is recorded as a JOB_FAILED outcome
         */
        Object run(JobContext ctx, Object... args) throws Exception;
    }

    /**
     * Registers a job type whose arguments are converted to the given types; a job with another
     * number of arguments, or one that does not convert, fails with BAD_PAYLOAD.
     *
     * @param name the name jobs use
     * @param parameterTypes the argument types, in order
     * @param handler the code
     * @throws IllegalArgumentException for a blank name or one containing a comma
     */
    public static void register(String name, List<Class<?>> parameterTypes, Handler handler) {
        register(new HandlerType(checkName(name), List.copyOf(parameterTypes), handler));
    }

    /**
     * Registers a job type that takes any arguments in their natural JSON form (Integer, Long,
     * Double, String, Boolean, List, Map, null).
     *
     * @param name the name jobs use
     * @param handler the code
     * @throws IllegalArgumentException for a blank name or one containing a comma
     */
    public static void register(String name, Handler handler) {
        register(new HandlerType(checkName(name), null, handler));
    }

    /**
     * Registers a job type object.
     *
     * @param type the type; its {@link JobType#name()} is the name jobs use
     * @throws IllegalArgumentException for a blank name or one containing a comma
     */
    public static void register(JobType type) {
        registered.put(checkName(type.name()), type);
    }

    /**
     * @param name a registered name
     * @return true when a type of that name was registered explicitly and is now removed
     */
    public static boolean unregister(String name) {
        return registered.remove(name) != null;
    }

    /**
     * Finds the {@link JobType}s a class loader offers through {@link ServiceLoader}, once per
     * class loader. Types that cannot be loaded are logged and skipped.
     *
     * @param loader where to look (the worker's job class loader)
     */
    public static void discover(ClassLoader loader) {
        if (!searched.add(loader)) {
            return;
        }
        var it = ServiceLoader.load(JobType.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                JobType type = it.next();
                discovered.putIfAbsent(checkName(type.name()), type);
            } catch (ServiceConfigurationError | RuntimeException e) {
                log.warn("a JobType listed in META-INF/services could not be loaded and is skipped: {}", e.toString());
            }
        }
    }

    /** @return the names of every job type, sorted */
    public static Set<String> names() {
        discoverDefault();
        Set<String> all = new TreeSet<>(discovered.keySet());
        all.addAll(registered.keySet());
        return all;
    }

    /**
     * @param name a job type's name
     * @return the type, if registered or discovered
     */
    public static Optional<JobType> find(String name) {
        discoverDefault();
        JobType t = registered.get(name);
        return Optional.ofNullable(t != null ? t : discovered.get(name));
    }

    private static void discoverDefault() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        discover(l != null ? l : JobRegistry.class.getClassLoader());
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank() || name.contains(",")) {
            throw new IllegalArgumentException(
                    "job type name '" + name + "' must be non-blank and contain no comma");
        }
        return name;
    }

    /**
     * A type made of a handler; {@link #parameterTypes()} is null when it takes any arguments in
     * their natural JSON form.
     */
    record HandlerType(String name, List<Class<?>> parameterTypes, Handler handler) implements JobType {
        @Override
        public Object run(JobContext ctx, Object... args) throws Exception {
            return handler.run(ctx, args);
        }
    }
}
