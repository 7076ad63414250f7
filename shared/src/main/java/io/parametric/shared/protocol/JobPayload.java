package io.parametric.shared.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A job as it travels: the entry on a worker's list and the {@code payload} field of the job
 * hash. Exactly one form is filled in: a registered {@code type} with {@code args}; a
 * {@code record} class with its components in {@code value}; or a {@code lambda}, its
 * implementing {@code className}, {@code method} and {@code descriptor}, the {@code fingerprint}
 * of that class's bytecode, its {@code captured} values and its {@code args}.
 *
 * @param v protocol version ({@link #VERSION})
 * @param id the job id, unique per placement
 * @param manager the id of the manager that placed it (its completion list), or null
 * @param form {@link #TYPE}, {@link #RECORD} or {@link #LAMBDA}
 * @param type the registered job type's name (form type)
 * @param className the record class, or the lambda's implementing class
 * @param method the lambda's implementing method
 * @param descriptor the lambda's implementing method descriptor
 * @param refKind the lambda's method handle kind ({@link java.lang.invoke.MethodHandleInfo})
 * @param fingerprint SHA-256 of the implementing class's bytecode (form lambda)
 * @param captured the lambda's captured values, in order
 * @param args the arguments (forms type and lambda)
 * @param value the record's components (form record)
 * @param timeoutMs the job's own timeout in ms, or null for none
 * @param retries how many times a job that throws is retried (0 = never)
 * @param maxDeliveries how many deliveries before the job is poison (first included)
 * @param pinned true when the job must never move to another worker
 * @param capturing the class that created the lambda or method reference (form lambda); its
 *     {@code $deserializeLambda$} must list the implementing method, else the worker refuses the
 *     job. Absent in payloads of older managers: then the implementing class
 * @param key the job's key ({@code withKey}): placing a key that is queued or running joins that job; null for none
 */
public record JobPayload(
        int v,
        String id,
        String manager,
        String form,
        String type,
        String className,
        String method,
        String descriptor,
        Integer refKind,
        String fingerprint,
        List<JsonNode> captured,
        List<JsonNode> args,
        JsonNode value,
        Long timeoutMs,
        int retries,
        int maxDeliveries,
        boolean pinned,
        String capturing,
        String key) {

    /** The protocol version this code writes and reads. */
    public static final int VERSION = 2;

    /** Form: a job type registered on the worker by name. */
    public static final String TYPE = "type";

    /** Form: a record implementing {@code Job<R>}. */
    public static final String RECORD = "record";

    /** Form: a serializable lambda or method reference. */
    public static final String LAMBDA = "lambda";

    /** Default delivery limit, the first delivery included. */
    public static final int DEFAULT_MAX_DELIVERIES = 3;

    /** The largest delivery limit a payload may ask for. */
    public static final int MAX_DELIVERIES = 1000;

    /** The most retries a job may ask for ({@code withRetries}); the backoff between them stops growing at one hour. */
    public static final int MAX_RETRIES = 100;

    /**
     * The longest timeout of one execution, 365 days: {@code withTimeout} clamps longer ones to
     * it (effectively no timeout) and a worker reads a larger {@code timeoutMs} as this.
     */
    public static final long MAX_TIMEOUT_MS = java.time.Duration.ofDays(365).toMillis();

    /** The longest job or manager id; ids are printable ASCII without spaces, so they cannot forge log lines. */
    public static final int MAX_ID_LENGTH = 128;

    /** The longest type, class, method or descriptor name a payload may carry. */
    public static final int MAX_NAME_LENGTH = 1024;

    /**
     * A payload without a capturing class (record and type forms, and lambdas whose implementing
     * class captured them).
     */
    public JobPayload(int v, String id, String manager, String form, String type, String className, String method,
            String descriptor, Integer refKind, String fingerprint, List<JsonNode> captured, List<JsonNode> args,
            JsonNode value, Long timeoutMs, int retries, int maxDeliveries, boolean pinned) {
        this(v, id, manager, form, type, className, method, descriptor, refKind, fingerprint, captured, args, value,
                timeoutMs, retries, maxDeliveries, pinned, null, null);
    }

    /** A payload without a key (see the canonical constructor). */
    public JobPayload(int v, String id, String manager, String form, String type, String className, String method,
            String descriptor, Integer refKind, String fingerprint, List<JsonNode> captured, List<JsonNode> args,
            JsonNode value, Long timeoutMs, int retries, int maxDeliveries, boolean pinned, String capturing) {
        this(v, id, manager, form, type, className, method, descriptor, refKind, fingerprint, captured, args, value,
                timeoutMs, retries, maxDeliveries, pinned, capturing, null);
    }

    /**
     * @param id a job or manager id
     * @return true when it is 1 to {@value #MAX_ID_LENGTH} printable ASCII characters, no space
     */
    public static boolean isValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** @return the timeout of one execution in ms, at most {@link #MAX_TIMEOUT_MS}; null for none */
    public Long boundedTimeoutMs() {
        return timeoutMs == null || timeoutMs <= 0 ? null : Math.min(timeoutMs, MAX_TIMEOUT_MS);
    }

    /** @return the class whose serializable-lambda list must name the implementing method */
    public String capturingClass() {
        return capturing != null && !capturing.isBlank() ? capturing : className;
    }

    /**
     * Reads a payload and checks its version and form.
     *
     * @param json the text from a list
     * @return the payload
     * @throws IllegalArgumentException naming what is wrong: not JSON, no id, an unknown version or
     *     form, an id that is not printable ASCII or too long, a name with control characters, a
     *     negative timeout, retries or a delivery limit out of range
     */
    public static JobPayload parse(String json) {
        JobPayload p;
        try {
            p = Json.read(json, JobPayload.class);
        } catch (RuntimeException e) {
            throw e instanceof IllegalArgumentException ? e : new IllegalArgumentException("not a job: " + e, e);
        }
        if (p == null) {
            // "null" is valid JSON that reads as no object at all.
            throw new IllegalArgumentException("payload is JSON null, not a job");
        }
        return p.checked();
    }

    /**
     * Checks type, class, method and descriptor names (and a lambda's fingerprint) read from Redis.
     *
     * @param names the names, each possibly null
     * @throws IllegalArgumentException when one is longer than {@value #MAX_NAME_LENGTH} characters
     *     or holds control characters
     */
    static void checkNames(String... names) {
        for (String name : names) {
            if (name != null && (name.length() > MAX_NAME_LENGTH || !LogText.isPrintable(name))) {
                throw new IllegalArgumentException("a type, class, method or descriptor name is longer than "
                        + MAX_NAME_LENGTH + " characters or holds control characters");
            }
        }
    }

    /**
     * @return this payload, checked as {@link #parse} checks one
     * @throws IllegalArgumentException naming what is wrong
     */
    public JobPayload checked() {
        JobPayload p = this;
        if (p.v != VERSION) {
            throw new IllegalArgumentException(
                    "protocol version " + p.v + " is not known to this worker (it speaks " + VERSION + ")");
        }
        if (p.id == null || p.id.isBlank()) {
            throw new IllegalArgumentException("payload has no job id");
        }
        if (!isValidId(p.id)) {
            throw new IllegalArgumentException("job id is not 1 to " + MAX_ID_LENGTH + " printable ASCII characters");
        }
        if (p.manager != null && !p.manager.isEmpty() && !isValidId(p.manager)) {
            throw new IllegalArgumentException("manager id is not 1 to " + MAX_ID_LENGTH + " printable ASCII characters");
        }
        if (!TYPE.equals(p.form) && !RECORD.equals(p.form) && !LAMBDA.equals(p.form)) {
            throw new IllegalArgumentException("unknown job form '" + LogText.safe(p.form) + "'");
        }
        if (p.key != null && !isValidId(p.key)) {
            throw new IllegalArgumentException("key is not 1 to " + MAX_ID_LENGTH + " printable ASCII characters");
        }
        checkNames(p.type, p.className, p.method, p.descriptor, p.fingerprint, p.capturing);
        if (p.timeoutMs != null && p.timeoutMs < 0) {
            throw new IllegalArgumentException("timeoutMs " + p.timeoutMs + " is negative");
        }
        if (p.retries < 0 || p.retries > MAX_RETRIES) {
            throw new IllegalArgumentException("retries " + p.retries + " is outside 0.." + MAX_RETRIES);
        }
        if (p.maxDeliveries < 0 || p.maxDeliveries > MAX_DELIVERIES) {
            throw new IllegalArgumentException("maxDeliveries " + p.maxDeliveries + " is outside 1.." + MAX_DELIVERIES
                    + " (0: the default " + DEFAULT_MAX_DELIVERIES + ")");
        }
        return p;
    }

    /**
     * @param newId the id of the new placement
     * @param managerId the placing manager
     * @return this job with another id and manager (one job placed many times)
     */
    public JobPayload placed(String newId, String managerId) {
        return new JobPayload(v, newId, managerId, form, type, className, method, descriptor, refKind,
                fingerprint, captured, args, value, timeoutMs, retries, maxDeliveries, pinned, capturing, key);
    }

    /**
     * @param newKey the job's key ({@code withKey}), or null for none
     * @return this job with that key
     */
    public JobPayload withKey(String newKey) {
        return new JobPayload(v, id, manager, form, type, className, method, descriptor, refKind,
                fingerprint, captured, args, value, timeoutMs, retries, maxDeliveries, pinned, capturing, newKey);
    }

    /** @return a short description for messages: the type, record class or lambda method */
    public String describe() {
        return switch (form) {
            case TYPE -> "job type '" + type + "'";
            case RECORD -> "record " + className;
            default -> "lambda " + className + "." + method + descriptor;
        };
    }
}
