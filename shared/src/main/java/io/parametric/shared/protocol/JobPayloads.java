package io.parametric.shared.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.Job;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.io.Serializable;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the {@link JobPayload} of each job form and checks that everything in it can travel: a
 * value can travel when it serializes to JSON and reads back, as the declared parameter type,
 * equal to the original. Payloads come back with no id or manager; the manager calls
 * {@link JobPayload#placed} for each placement.
 *
 * <pre>{@code
 * JobPayload p = JobPayloads.lambda((Fn.Call2<Integer, String, Integer>) Example::example, List.of(5, "job #5"));
 * JobPayload q = JobPayloads.type("resize", List.of("cat.png", 640));
 * JobPayload r = JobPayloads.record(new Resize("cat.png", 640));
 * }</pre>
 */
public final class JobPayloads {

    private JobPayloads() {}

    /**
     * A serializable lambda or method reference with the arguments it is called with.
     *
     * @param fn a lambda or method reference of a functional interface extending {@link Serializable}
     * @param args the job's arguments (after the captured values)
     * @return the payload: implementing class, method, descriptor, fingerprint, captured values and args as JSON
     * @throws ProcessError BAD_PAYLOAD when {@code fn} is not a serializable lambda, its class
     *     cannot be fingerprinted, the argument count is wrong, or a captured value or argument
     *     cannot travel (the message names it)
     */
    public static JobPayload lambda(Serializable fn, List<Object> args) {
        Objects.requireNonNull(fn, "fn");
        List<Object> given = args == null ? List.of() : args;
        LambdaShape shape = LambdaShape.of(fn);
        LambdaMethod method = shape.method();
        List<Type> types = method.parameterTypes();
        int capturedCount = shape.capturedArgCount();
        if (capturedCount + given.size() != types.size()) {
            throw bad("lambda " + method.describe() + " takes " + (types.size() - capturedCount)
                    + " argument(s) but the job has " + given.size() + "; pass exactly the arguments it declares", null);
        }
        Object[] capturedValues = shape.captured(fn);
        List<JsonNode> captured = new ArrayList<>(capturedCount);
        for (int i = 0; i < capturedCount; i++) {
            captured.add(travel(capturedValues[i], types.get(i),
                    (i == 0 && method.hasReceiver() ? "the captured receiver" : "captured value #" + (i + 1))
                            + " of lambda " + method.describe()));
        }
        List<JsonNode> jsonArgs = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            jsonArgs.add(travel(given.get(i), types.get(capturedCount + i),
                    "argument #" + (i + 1) + " of lambda " + method.describe()));
        }
        return new JobPayload(JobPayload.VERSION, null, null, JobPayload.LAMBDA, null, shape.implClass(),
                shape.implMethodName(), shape.implMethodSignature(), shape.implMethodKind(), shape.fingerprint(),
                captured, jsonArgs, null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false, shape.capturingClass());
    }

    /**
     * A job written as a class (typically a record) implementing {@link Job}.
     *
     * @param job the job; its class must be loadable by name on the worker
     * @return the payload: the class name and its components as JSON
     * @throws ProcessError BAD_PAYLOAD when the class is a lambda, anonymous or hidden class, or a
     *     component cannot travel (the message names it)
     */
    public static JobPayload record(Job<?> job) {
        Objects.requireNonNull(job, "job");
        Class<?> type = job.getClass();
        if (type.isHidden() || type.isSynthetic() || type.isAnonymousClass()) {
            throw bad("a Job given as a lambda or anonymous class (" + type.getName()
                    + ") has no name a worker can load; write it as a record implementing Job<R>", null);
        }
        if (!type.isRecord()) {
            // A worker rebuilds only records (their canonical constructor runs, checks included).
            throw bad("job " + type.getName() + " is not a record; write it as a record implementing Job<R>", null);
        }
        JsonNode value;
        try {
            value = throughText(job);
        } catch (IllegalArgumentException e) {
            throw bad("job " + type.getName() + " cannot be written as JSON (" + e.getMessage()
                    + "); give it components of JSON-friendly types", e);
        }
        for (RecordComponent c : type.getRecordComponents()) {
            Object component;
            try {
                Method accessor = c.getAccessor();
                accessor.trySetAccessible();
                component = accessor.invoke(job);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw bad("component '" + c.getName() + "' of record " + type.getName() + " cannot be read: " + e, e);
            }
            travel(component, c.getGenericType(), "component '" + c.getName() + "' of record " + type.getName());
        }
        checkReadsBack(job, value, type, "job " + type.getName());
        return new JobPayload(JobPayload.VERSION, null, null, JobPayload.RECORD, null, type.getName(),
                null, null, null, null, null, null, value, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false);
    }

    /**
     * A job of a type registered on the workers by name.
     *
     * @param name the job type's name
     * @param args its arguments
     * @return the payload: the name and the arguments as JSON
     * @throws ProcessError BAD_PAYLOAD when the name is blank or an argument cannot be written as
     *     JSON or does not read back equal in its natural JSON form
     */
    public static JobPayload type(String name, List<Object> args) {
        if (name == null || name.isBlank()) {
            throw bad("a job type needs a name, e.g. newJob(\"resize\", \"cat.png\", 640)", null);
        }
        List<Object> given = args == null ? List.of() : args;
        List<JsonNode> jsonArgs = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            Object arg = given.get(i);
            String what = "argument #" + (i + 1) + " of job type '" + name + "'";
            // The worker's parameter types are not known here: the natural JSON form will do, else
            // the argument's own class (a record the worker's type converts the same way).
            JsonNode tree = travel(arg, Object.class, what, true);
            if (tree == null) {
                tree = travel(arg, arg.getClass(), what, false);
            }
            jsonArgs.add(tree);
        }
        return new JobPayload(JobPayload.VERSION, null, null, JobPayload.TYPE, name, null, null, null, null,
                null, null, jsonArgs, null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false);
    }

    /**
     * Writes a value as JSON and checks it reads back, as the declared type, equal to itself.
     *
     * @return the JSON tree
     */
    private static JsonNode travel(Object value, Type declared, String what) {
        return travel(value, declared, what, false);
    }

    /** @param probe true to return null instead of throwing when the value does not read back */
    private static JsonNode travel(Object value, Type declared, String what, boolean probe) {
        JsonNode tree;
        try {
            tree = throughText(value);
        } catch (IllegalArgumentException e) {
            throw bad(what + " (" + describe(value) + ") cannot be written as JSON: " + rootMessage(e)
                    + "; pass JSON-friendly values (numbers, strings, lists, maps, records)", e);
        }
        if (probe) {
            try {
                checkReadsBack(value, tree, declared, what);
                return tree;
            } catch (ProcessError e) {
                return null;
            }
        }
        checkReadsBack(value, tree, declared, what);
        return tree;
    }

    /** The tree the worker will see: written as text and parsed, so 5L comes back as the int 5. */
    private static JsonNode throughText(Object value) {
        try {
            return Json.MAPPER.readTree(Json.write(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static void checkReadsBack(Object value, JsonNode tree, Type declared, String what) {
        if (value == null) {
            return;
        }
        Object back;
        try {
            back = Json.convertArgument(tree, declared);
        } catch (IllegalArgumentException e) {
            throw bad(what + " (" + describe(value) + ") does not read back from JSON as " + declared.getTypeName()
                    + ": " + rootMessage(e) + "; pass a value that survives a JSON round trip", e);
        }
        if (!sameValue(value, back)) {
            if (describe(back).equals(describe(value))) {
                // It reads back looking the same: the class has no value equality (identity equals, a resource).
                throw bad(what + " (" + describe(value) + ") is a " + value.getClass().getName()
                        + ", which has no value equality: the worker would work on an unshared copy and changes"
                        + " made there never come back; pass its value instead (a String, a number, a record)", null);
            }
            throw bad(what + " (" + describe(value) + ") does not read back equal from JSON as "
                    + declared.getTypeName() + " (it reads back as " + describe(back)
                    + "); pass a value that survives a JSON round trip, or declare the parameter with its exact type", null);
        }
    }

    private static boolean sameValue(Object value, Object back) {
        if (Objects.deepEquals(value, back)) {
            return true;
        }
        if (back == null || back.getClass() != value.getClass()) {
            return false;
        }
        if (value.getClass().isArray()) {
            return arraysEqual(value, back);
        }
        // Same class, no useful equals: a plain bean of the application is equal when both write
        // the same JSON. A JDK type without value equality (Thread, AtomicInteger, a stream) or
        // anything that holds a resource never travels: the worker would get an unshared copy.
        if (isJdkType(value.getClass()) || value instanceof AutoCloseable) {
            return false;
        }
        return Json.tree(back).equals(Json.tree(value));
    }

    private static boolean isJdkType(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.");
    }

    private static boolean arraysEqual(Object a, Object b) {
        int n = Array.getLength(a);
        if (n != Array.getLength(b)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            Object x = Array.get(a, i);
            Object y = Array.get(b, i);
            if (x == null ? y != null : !sameValue(x, y)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param fn a serializable lambda or method reference
     * @return the method descriptor it was instantiated with, e.g. {@code ()Ljava/lang/Long;}
     * @throws ProcessError BAD_PAYLOAD when {@code fn} is not a serializable lambda
     */
    public static String instantiatedMethodType(Serializable fn) {
        return LambdaShape.of(Objects.requireNonNull(fn, "fn")).instantiatedMethodType();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text;
        try {
            text = String.valueOf(value);
        } catch (RuntimeException e) {
            text = "?";
        }
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return value.getClass().getName() + " " + text;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " / " + t.getMessage();
    }

    private static ProcessError bad(String message, Throwable cause) {
        return new ProcessError(Reason.BAD_PAYLOAD, "job cannot travel: " + message, cause);
    }
}
