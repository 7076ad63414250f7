package io.parametric.shared.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a lambda job names once per fleet rather than once per job: its implementing class,
 * method, descriptor, reference kind, the fingerprint of the class's bytecode and the capturing
 * class. Stored in the fleet's {@code fn} hash under {@link Stored#hash()}, a hash of its own content,
 * so a rewritten record cannot redirect the jobs that name it: a reader recomputes the hash and
 * refuses a mismatch ({@link #read}).
 *
 * @param cls the implementing class
 * @param method the implementing method
 * @param desc its descriptor
 * @param kind its {@link java.lang.invoke.MethodHandleInfo} reference kind, or null
 * @param fp the SHA-256 fingerprint of the implementing class's bytecode
 * @param capturing the class that created the lambda, or null when it is the implementing class
 */
public record LambdaRecord(String cls, String method, String desc, Integer kind, String fp, String capturing) {

    /** The largest lambda record a worker reads, bytes. */
    public static final int MAX_BYTES = 8 * 1024;

    /**
     * @param p a lambda payload
     * @return its lambda record
     */
    public static LambdaRecord of(JobPayload p) {
        return new LambdaRecord(p.className(), p.method(), p.descriptor(), p.refKind(), p.fingerprint(),
                p.capturing() == null || p.capturing().equals(p.className()) ? null : p.capturing());
    }

    /** @return the record as stored: JSON with its fields in a fixed order */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cls", cls);
        m.put("method", method);
        m.put("desc", desc);
        m.put("kind", kind);
        m.put("fp", fp);
        m.put("capturing", capturing);
        return Json.write(m);
    }

    /**
     * @return the record as placed: its JSON and the field it is stored under, base64url of the
     *     first 16 bytes of the SHA-256 of that JSON
     */
    public Stored stored() {
        String json = json();
        return new Stored(hashOf(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    /**
     * A lambda record as it is stored in the fleet's {@code fn} hash.
     *
     * @param hash the field it is stored under
     * @param json the value, {@link #json()}
     */
    public record Stored(String hash, String json) {}

    /**
     * Reads a stored record and checks it is the one the hash names.
     *
     * @param hash the field it was stored under (named by a signed entry)
     * @param stored the stored bytes
     * @return the record
     * @throws IllegalArgumentException when the bytes are too large, not a record, or do not hash to {@code hash}
     */
    public static LambdaRecord read(String hash, byte[] stored) {
        if (stored.length > MAX_BYTES) {
            throw new IllegalArgumentException("its lambda record is " + stored.length + " bytes, over " + MAX_BYTES);
        }
        if (!hashOf(stored).equals(hash)) {
            throw new IllegalArgumentException("its lambda record " + LogText.safe(hash)
                    + " does not match its hash (rewritten in Redis): refused");
        }
        JsonNode n = Json.read(new String(stored, StandardCharsets.UTF_8), JsonNode.class);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("its lambda record is not a JSON object");
        }
        LambdaRecord record = new LambdaRecord(text(n, "cls"), text(n, "method"), text(n, "desc"),
                n.path("kind").isInt() ? n.path("kind").intValue() : null, text(n, "fp"), text(n, "capturing"));
        // Checked once here, as a job's own names are: a worker keeps the record for every job that names it.
        JobPayload.checkNames(record.cls, record.method, record.desc, record.fp, record.capturing);
        return record;
    }

    /** @return the payload with this record's fields filled in */
    JobPayload into(JobPayload p) {
        return new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(), cls, method, desc, kind, fp,
                p.captured(), p.args(), p.value(), p.timeoutMs(), p.retries(), p.maxDeliveries(), p.pinned(),
                capturing, p.key());
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.path(field).textValue() : null;
    }

    private static String hashOf(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
