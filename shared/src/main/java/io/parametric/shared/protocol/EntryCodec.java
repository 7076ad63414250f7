package io.parametric.shared.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A job's bytes in Redis (protocol 2): {@code "2" SP signature SP body}, the body a compact JSON
 * object, the signature an HMAC of the body with the fleet secret ({@link SignedForm}). A lambda's
 * class, method, descriptor and fingerprint are not in the body: they live once per fleet in a
 * {@link LambdaRecord} the body names by hash. See {@code docs/protocol.md}, "Entries".
 */
public final class EntryCodec {

    /** Lambda records seen by far fewer than this many distinct lambdas are cached; past it the cache starts over. */
    private static final int LAMBDA_CACHE = 1024;

    private final FleetSecret secret;
    /** Each lambda's stored form, computed once: a JSON write and a SHA-256 per job were half of placement's time. */
    private final ClearingCache<LambdaRecord, LambdaRecord.Stored> stored = new ClearingCache<>(LAMBDA_CACHE, LambdaRecord::stored);

    /** @param secret signs and checks entries */
    public EntryCodec(FleetSecret secret) {
        this.secret = secret;
    }

    /**
     * An entry ready to place.
     *
     * @param bytes the entry
     * @param lambda the lambda record it names, as stored, or null
     */
    public record Encoded(byte[] bytes, LambdaRecord.Stored lambda) {}

    /**
     * @param p a checked payload
     * @return its entry, signed
     */
    public Encoded encode(JobPayload p) {
        ByteArrayBuilder body = new ByteArrayBuilder(256);
        LambdaRecord.Stored lambda = null;
        try (JsonGenerator g = Json.MAPPER.createGenerator(body)) {
            // Scripts read "id" and "m" as the first fields and "key" as the last without decoding.
            g.writeStartObject();
            g.writeStringField("id", p.id());
            if (p.manager() != null) {
                g.writeStringField("m", p.manager());
            }
            g.writeStringField("form", p.form());
            switch (p.form()) {
                case JobPayload.TYPE -> g.writeStringField("type", p.type());
                case JobPayload.RECORD -> g.writeStringField("cls", p.className());
                default -> {
                    lambda = stored.get(LambdaRecord.of(p));
                    g.writeStringField("fn", lambda.hash());
                }
            }
            writeArray(g, "cap", p.captured());
            writeArray(g, "args", p.args());
            if (p.value() != null) {
                g.writeFieldName("value");
                g.writeTree(p.value());
            }
            if (p.timeoutMs() != null) {
                g.writeNumberField("to", p.timeoutMs());
            }
            if (p.retries() > 0) {
                g.writeNumberField("re", p.retries());
            }
            if (p.maxDeliveries() > 0) {
                g.writeNumberField("md", p.maxDeliveries());
            }
            if (p.pinned()) {
                g.writeBooleanField("pin", true);
            }
            if (p.key() != null) {
                g.writeStringField("key", p.key());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write job " + p.id() + " as JSON: " + e.getMessage(), e);
        }
        return new Encoded(SignedForm.seal(secret, body.toByteArray()), lambda);
    }

    /** Writes a non-empty list of values as a JSON array field; nothing for an empty one. */
    private static void writeArray(JsonGenerator g, String field, List<JsonNode> values) throws IOException {
        if (values == null || values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (JsonNode v : values) {
            g.writeTree(v);
        }
        g.writeEndArray();
    }

    /**
     * Reads an entry a worker took: checks its version and signature before anything in its
     * body, then its id and fields.
     *
     * @param id the id it was taken under
     * @param entry the entry's bytes
     * @param lambdas finds (and checks) the lambda record a body names
     * @return the payload
     * @throws IllegalArgumentException naming what is wrong (the worker dead-letters the entry with it)
     */
    public JobPayload decode(String id, byte[] entry, Function<String, LambdaRecord> lambdas) {
        SignedForm.Split opened = SignedForm.open(secret, entry);
        if (!(opened instanceof SignedForm.Parts parts)) {
            throw new IllegalArgumentException(((SignedForm.Malformed) opened).reason());
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(entry, parts.bodyOffset(), entry.length - parts.bodyOffset());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("its body is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("its body is not a JSON object");
        }
        if (!id.equals(text(n, "id"))) {
            throw new IllegalArgumentException("its body names another job id (an entry copied under another id)");
        }
        JobPayload p = new JobPayload(JobPayload.VERSION, id, text(n, "m"), text(n, "form"), text(n, "type"),
                text(n, "cls"), null, null, null, null, list(n, "cap"), list(n, "args"),
                n.has("value") ? n.get("value") : null,
                n.path("to").canConvertToLong() ? n.path("to").longValue() : null,
                n.path("re").asInt(0), n.path("md").asInt(0), n.path("pin").asBoolean(false), null, text(n, "key")).checked();
        if (JobPayload.LAMBDA.equals(p.form())) {
            String fn = text(n, "fn");
            if (fn == null) {
                throw new IllegalArgumentException("its lambda names no lambda record");
            }
            // The record's names were checked when it was read (LambdaRecord.read).
            p = lambdas.apply(fn).into(p);
        }
        return p;
    }

    private static List<JsonNode> list(JsonNode n, String field) {
        List<JsonNode> values = new ArrayList<>();
        n.path(field).forEach(values::add);
        return values;
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.path(field).textValue() : null;
    }
}
