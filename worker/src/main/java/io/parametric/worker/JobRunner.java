package io.parametric.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.Job;
import io.parametric.shared.JobContext;
import io.parametric.shared.JobType;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.ClassFingerprint;
import io.parametric.shared.protocol.CurrentJob;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.LambdaMethod;
import io.parametric.shared.protocol.Outcome;
import io.parametric.shared.protocol.ThrowableText;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs one job in any of its three forms and turns whatever happens into an {@link Outcome}:
 * a registered type (arguments converted to its parameter types), a record implementing
 * {@link Job} (rebuilt from its JSON components through its canonical constructor), or a lambda /
 * method reference: it runs only when its capturing class lists the implementing method as a
 * serializable lambda target ({@link LambdaTargets}), never {@code main}; its class's bytecode
 * fingerprint is checked, its method found by name and descriptor, captured values and arguments
 * converted to the declared parameter types. JDK methods run only from the short list of
 * {@link JdkFunctions}. Classes come only through the {@link Allowlist}; never Java
 * serialization, never Jackson default typing.
 *
 * <pre>{@code
 * JobRunner runner = new JobRunner(Allowlist.of(List.of("com.acme")));
 * Outcome o = runner.run(payload, ctx, pid, attempt);
 * }</pre>
 */
public final class JobRunner {

    private final Allowlist allowlist;
    private final ClassLoader loader;
    private final MissingClasses missingClasses;
    /**
     * The methods of lambdas that passed every check, by everything the checks read: a job of a
     * lambda seen before skips loading, listing and fingerprinting its classes. Only lambdas that
     * passed are kept, so it holds no more than the lambda targets the allowed classes declare.
     */
    private final Map<LambdaKey, LambdaMethod> checkedLambdas = new ConcurrentHashMap<>();

    /**
     * A lambda job's names, as its lambda record gives them: what its checks read (a JDK
     * function's fingerprint is not). Its equals and hashCode are written out: a record's own go
     * through method handles, which the C1 code of a spawned worker does not inline (4 % of a
     * worker's samples per job, JFR).
     */
    private record LambdaKey(String className, String method, String descriptor, int refKind, String fingerprint,
                             String capturingClass) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LambdaKey k && refKind == k.refKind && className.equals(k.className)
                    && method.equals(k.method) && descriptor.equals(k.descriptor)
                    && Objects.equals(fingerprint, k.fingerprint) && Objects.equals(capturingClass, k.capturingClass);
        }

        @Override
        public int hashCode() {
            int h = className.hashCode();
            h = 31 * h + method.hashCode();
            h = 31 * h + descriptor.hashCode();
            h = 31 * h + refKind;
            h = 31 * h + Objects.hashCode(fingerprint);
            return 31 * h + Objects.hashCode(capturingClass);
        }
    }

    /**
     * A runner loading job classes from the class loader that loaded the worker runtime.
     *
     * @param allowlist which classes jobs may run
     */
    public JobRunner(Allowlist allowlist) {
        this(allowlist, defaultLoader());
    }

    /**
     * @param allowlist which classes jobs may run
     * @param loader where job classes are loaded from (e.g. one holding the {@code PP_JOBS} jars)
     */
    public JobRunner(Allowlist allowlist, ClassLoader loader) {
        this(allowlist, loader, (pid, className) -> { });
    }

    /**
     * @param allowlist which classes jobs may run
     * @param loader where job classes are loaded from (e.g. one holding the {@code PP_JOBS} jars)
     * @param missingClasses told each class a job needed that this worker cannot load
     */
    public JobRunner(Allowlist allowlist, ClassLoader loader, MissingClasses missingClasses) {
        this.allowlist = allowlist;
        this.loader = loader;
        this.missingClasses = missingClasses;
    }

    /** Told the class a job needed and the worker could not load (to record it in the worker's hash). */
    @FunctionalInterface
    public interface MissingClasses {
        /**
         * @param pid the worker that ran the job
         * @param className the class it could not load
         */
        void missing(long pid, String className);
    }

    /** @return the allowlist */
    public Allowlist allowlist() {
        return allowlist;
    }

    /** @return where job classes are loaded from */
    public ClassLoader loader() {
        return loader;
    }

    private static ClassLoader defaultLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : JobRunner.class.getClassLoader();
    }

    /**
     * Runs one job on the calling thread with {@code ctx} bound to {@link JobContext#current()};
     * never throws.
     *
     * @param payload the job
     * @param ctx its context
     * @param pid the worker running it
     * @param attempt which delivery this is
     * @return its return, or a failure: UNKNOWN_JOB_TYPE, BAD_PAYLOAD, NOT_ALLOWED or JOB_FAILED
     */
    public Outcome run(JobPayload payload, JobContext ctx, long pid, int attempt) {
        String jobId = payload.id();
        try {
            Prepared job = switch (payload.form()) {
                case JobPayload.TYPE -> prepareType(payload, pid);
                case JobPayload.RECORD -> prepareRecord(payload);
                case JobPayload.LAMBDA -> prepareLambda(payload);
                default -> throw new Refusal(Reason.BAD_PAYLOAD, "unknown job form '" + payload.form() + "'");
            };
            Object result;
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            CurrentJob.set(ctx);
            try {
                result = job.call(ctx);
            } catch (InvocationTargetException e) {
                return thrown(payload, pid, attempt, e.getCause() != null ? e.getCause() : e);
            } catch (Throwable t) {
                return thrown(payload, pid, attempt, t);
            } finally {
                CurrentJob.set(null);
                thread.setContextClassLoader(before);
            }
            return success(jobId, pid, result, attempt, payload);
        } catch (Refusal r) {
            return Outcome.failure(jobId, pid, r.reason.name(), r.getMessage(), attempt);
        } catch (RuntimeException | LinkageError e) {
            String missing = missingClassName(e);
            if (missing != null) {
                return missingClass(payload, pid, attempt, missing);
            }
            return Outcome.failure(jobId, pid, Reason.BAD_PAYLOAD.name(),
                    payload.describe() + " cannot be prepared on worker " + pid + ": " + ThrowableText.describe(e), attempt);
        }
    }

    /** What a running job threw: a NoClassDefFoundError names a class this worker lacks; else the job failed. */
    private Outcome thrown(JobPayload payload, long pid, int attempt, Throwable t) {
        String missing = t instanceof NoClassDefFoundError ? missingClassName(t) : null;
        return missing != null ? missingClass(payload, pid, attempt, missing) : Outcome.thrown(payload.id(), pid, t, attempt);
    }

    /**
     * A job that needs a class this worker cannot load — its own, or one its class refers to (the
     * JVM loads those to verify it): the worker records the class, the job fails saying what to add.
     */
    private Outcome missingClass(JobPayload payload, long pid, int attempt, String className) {
        try {
            missingClasses.missing(pid, className);
        } catch (RuntimeException e) {
            // Recording is for the fleet's status only; the job's outcome says it all.
        }
        String hint = className.startsWith("io.parametric.")
                ? " (a ParametricProcesses class: use the runnable worker jar or image of the manager's version,"
                        + " which bundle parametric-manager)"
                : "";
        return Outcome.failure(payload.id(), pid, Reason.BAD_PAYLOAD.name(), payload.describe() + " needs class "
                + className + ", which worker " + pid + " cannot load: add the jar or folder that holds it to the"
                + " worker's PP_JOBS (--jobs)" + hint, attempt);
    }

    /** @return the class a NoClassDefFoundError or ClassNotFoundException in {@code e}'s causes names, else null */
    static String missingClassName(Throwable e) {
        for (Throwable t : ThrowableText.causes(e)) {
            if (t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) {
                String m = ThrowableText.messageOrNull(t);
                if (m != null && !m.isBlank() && !m.startsWith("Could not initialize")) {
                    return m.strip().replace('/', '.');
                }
            }
        }
        return null;
    }

    private static Outcome success(String jobId, long pid, Object result, int attempt, JobPayload payload) {
        JsonNode value;
        try {
            value = Json.tree(result);
        } catch (IllegalArgumentException e) {
            return Outcome.failure(jobId, pid, Reason.BAD_PAYLOAD.name(), "the return of " + payload.describe()
                    + " (" + result.getClass().getName() + ") cannot be written as JSON: " + e.getMessage()
                    + "; return JSON-friendly values (numbers, strings, lists, maps, records)", attempt);
        }
        return Outcome.success(jobId, pid, value, attempt);
    }

    /** A job ready to call: everything that can be refused has been checked. */
    @FunctionalInterface
    private interface Prepared {
        Object call(JobContext ctx) throws Exception;
    }

    private Prepared prepareType(JobPayload p, long pid) {
        Optional<JobType> found = JobRegistry.find(p.type());
        if (found.isEmpty()) {
            throw new Refusal(Reason.UNKNOWN_JOB_TYPE, "job type '" + p.type() + "' is not registered on worker " + pid
                    + "; it has " + JobRegistry.names()
                    + " — register it (JobRegistry.register or META-INF/services/io.parametric.shared.JobType) or place the job on a worker that has it");
        }
        JobType type = found.get();
        List<JsonNode> args = p.args() == null ? List.of() : p.args();
        List<Class<?>> types = type.parameterTypes();
        Object[] values = new Object[args.size()];
        if (types == null) {
            for (int i = 0; i < values.length; i++) {
                values[i] = Json.convert(args.get(i), Object.class);
            }
        } else {
            if (types.size() != args.size()) {
                throw new Refusal(Reason.BAD_PAYLOAD, "job type '" + type.name() + "' takes " + types.size()
                        + " argument(s) " + names(types) + " but the job has " + args.size() + "; pass exactly those");
            }
            for (int i = 0; i < values.length; i++) {
                int n = i;
                values[i] = convert(args.get(i), types.get(i), () -> "argument #" + (n + 1) + " of job type '" + type.name() + "'");
            }
        }
        return ctx -> type.run(ctx, values);
    }

    private Prepared prepareRecord(JobPayload p) {
        Class<?> c = load(p.className(), "record");
        if (!c.isRecord() || !Job.class.isAssignableFrom(c)) {
            // Only a record is rebuilt through its canonical constructor, so its checks run.
            throw new Refusal(Reason.NOT_ALLOWED, "class " + c.getName() + " is not a record implementing io.parametric.shared.Job"
                    + "; only Job records can be sent as records");
        }
        Job<?> job = (Job<?>) convert(p.value(), c, () -> "record " + c.getName());
        if (job == null) {
            throw new Refusal(Reason.BAD_PAYLOAD, "record " + c.getName() + " has no value");
        }
        return job::run;
    }

    private Prepared prepareLambda(JobPayload p) {
        if (p.className() == null || p.method() == null || p.descriptor() == null || p.refKind() == null) {
            throw new Refusal(Reason.BAD_PAYLOAD, "lambda job names no implementing class, method, descriptor or reference kind");
        }
        // A JDK function is named, not fingerprinted: its key leaves the fingerprint out, so a job
        // cannot add entries by naming one with ever new fingerprints.
        String fingerprint = JdkFunctions.isJdk(p.className()) ? null : p.fingerprint();
        LambdaKey key = new LambdaKey(p.className(), p.method(), p.descriptor(), p.refKind(), fingerprint, p.capturingClass());
        LambdaMethod method = checkedLambdas.computeIfAbsent(key, k -> checkedLambda(p));
        List<JsonNode> all = new ArrayList<>();
        int captured = p.captured() == null ? 0 : p.captured().size();
        if (p.captured() != null) {
            all.addAll(p.captured());
        }
        if (p.args() != null) {
            all.addAll(p.args());
        }
        List<Type> types = method.parameterTypes();
        if (all.size() != types.size()) {
            throw new Refusal(Reason.BAD_PAYLOAD, "lambda " + method.describe() + " takes " + (types.size() - captured)
                    + " argument(s) after " + captured + " captured value(s), but the job has " + (all.size() - captured));
        }
        List<Object> values = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            int n = i;
            values.add(convert(all.get(i), types.get(i), () -> (n < captured ? "captured value #" + (n + 1)
                    : "argument #" + (n + 1 - captured)) + " of lambda " + method.describe()));
        }
        return ctx -> method.invoke(values);
    }

    /**
     * Checks a lambda job's target and finds its method: never {@code main}; a JDK method only
     * from {@link JdkFunctions}; the capturing class must declare it as a serializable lambda
     * target; the implementing class must be admitted and have the fingerprint the job names.
     *
     * @throws Refusal NOT_ALLOWED or BAD_PAYLOAD naming what is wrong
     */
    private LambdaMethod checkedLambda(JobPayload p) {
        String target = p.className() + "." + p.method() + p.descriptor();
        if ("main".equals(p.method())) {
            throw new Refusal(Reason.NOT_ALLOWED, "lambda job names " + target + "; a main method never runs as a job");
        }
        boolean jdk = JdkFunctions.isJdk(p.className());
        if (jdk && !JdkFunctions.allows(p.className(), p.method(), p.descriptor())) {
            throw new Refusal(Reason.NOT_ALLOWED, "lambda job names the JDK method " + target
                    + ", which is not one of the pure functions (Math, Integer, Long, Double, Boolean, String) a job may reference;"
                    + " wrap it in a method of your own");
        }
        Class<?> capturing = load(p.capturingClass(), "lambda");
        LambdaTargets.Target wanted = new LambdaTargets.Target(p.refKind(), p.className().replace('.', '/'), p.method(), p.descriptor());
        if (!LambdaTargets.of(capturing).contains(wanted)) {
            throw new Refusal(Reason.NOT_ALLOWED, "lambda job names " + target + ", which class " + capturing.getName()
                    + " does not declare as a serializable lambda or method reference; only lambdas and method references"
                    + " written in that class (its $deserializeLambda$) run, never another member");
        }
        Class<?> c = jdk ? loadJdk(p.className()) : p.className().equals(capturing.getName()) ? capturing : load(p.className(), "lambda");
        if (!jdk) {
            checkFingerprint(c, p.fingerprint());
        }
        try {
            return LambdaMethod.find(c, p.method(), p.descriptor(), p.refKind());
        } catch (IllegalArgumentException e) {
            throw new Refusal(Reason.BAD_PAYLOAD, e.getMessage() + "; run the same build on the manager and the workers");
        }
    }

    /** A worker whose copy of the implementing class differs would run different code: refuse it. */
    private static void checkFingerprint(Class<?> c, String fingerprint) {
        String here = ClassFingerprint.of(c);
        if (!here.equals(fingerprint)) {
            throw new Refusal(Reason.BAD_PAYLOAD, "class " + c.getName() + " on this worker differs from the manager's"
                    + " (bytecode fingerprint " + abbreviate(here) + " here, " + abbreviate(fingerprint)
                    + " in the job), so the lambda could run different code; run the same build on the manager and the workers");
        }
    }

    private Class<?> loadJdk(String className) {
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new Refusal(Reason.BAD_PAYLOAD, "JDK class " + className + " is not in this worker's JDK (" + e + ")");
        }
    }

    private Class<?> load(String className, String form) {
        if (className == null || className.isBlank()) {
            throw new Refusal(Reason.BAD_PAYLOAD, form + " job names no class");
        }
        if (!allowlist.admits(className)) {
            throw new Refusal(Reason.NOT_ALLOWED, "class " + className + " is not admitted by this worker's allowlist ("
                    + allowlist + "); start the worker with --allow / PP_ALLOW naming its package (workers of processes(n):"
                    + " -Dpp.worker.allow on the manager), or use a registered job type");
        }
        try {
            // Not initialised: a class is only loaded here; its static code runs when the job does.
            // A class that is missing, or refers to one that is, fails the job in run(), naming it.
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new NoClassDefFoundError(className);
        }
    }

    /** Converts one value; {@code what} names it, made only when the value has the wrong type. */
    private static Object convert(JsonNode node, Type type, Supplier<String> what) {
        try {
            return Json.convertArgument(node, type);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Reason.BAD_PAYLOAD, what.get() + " has the wrong type: " + e.getMessage());
        }
    }

    private static String names(List<Class<?>> types) {
        return types.stream().map(Class::getSimpleName).toList().toString();
    }

    private static String abbreviate(String fingerprint) {
        return fingerprint == null ? "none" : fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }

    /** A job refused before it ran, with the outcome's reason. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Reason reason;

        Refusal(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
