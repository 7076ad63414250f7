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
        String capturing) {

    /** The protocol version this code writes and reads. */
    public static final int VERSION = 1;

    /** Form: a job type registered on the worker by name. */
    public static final String TYPE = "type";

    /** Form: a record implementing {@code Job<R>}. */
    public static final String RECORD = "record";

    /** Form: a serializable lambda or method reference. */
    public static final String LAMBDA = "lambda";

    /** Default delivery limit, the first delivery included. */
    public static final int DEFAULT_MAX_DELIVERIES = 3;

    /**
     * A payload without a capturing class (record and type forms, and lambdas whose implementing
     * class captured them).
     */
    public JobPayload(int v, String id, String manager, String form, String type, String className, String method,
            String descriptor, Integer refKind, String fingerprint, List<JsonNode> captured, List<JsonNode> args,
            JsonNode value, Long timeoutMs, int retries, int maxDeliveries, boolean pinned) {
        this(v, id, manager, form, type, className, method, descriptor, refKind, fingerprint, captured, args, value,
                timeoutMs, retries, maxDeliveries, pinned, null);
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
     * @throws IllegalArgumentException naming what is wrong: not JSON, no id, an unknown version or form
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
        if (p.v != VERSION) {
            throw new IllegalArgumentException(
                    "protocol version " + p.v + " is not known to this worker (it speaks " + VERSION + ")");
        }
        if (p.id == null || p.id.isBlank()) {
            throw new IllegalArgumentException("payload has no job id");
        }
        if (!TYPE.equals(p.form) && !RECORD.equals(p.form) && !LAMBDA.equals(p.form)) {
            throw new IllegalArgumentException("unknown job form '" + p.form + "'");
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
                fingerprint, captured, args, value, timeoutMs, retries, maxDeliveries, pinned, capturing);
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
