package io.parametric.shared.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Outcomes as they are stored and pushed to managers (protocol 2): signed texts like entries. A
 * worker signs every outcome it writes. Scripts cannot sign: the failures they make (POISON,
 * CANCELLED, WORKER_LOST, BAD_PAYLOAD) are unsigned and carry no value; a reader accepts an
 * unsigned outcome only of that shape, so a Redis writer can fail a job but never forge a return.
 */
public final class OutcomeCodec {

    /** The reasons of the failures scripts make, the only outcomes accepted unsigned. */
    public static final Set<String> SCRIPT_REASONS = Set.of("POISON", "CANCELLED", "WORKER_LOST", "BAD_PAYLOAD");

    /** What a signed outcome adds to its JSON: the version, the signature and two spaces (with room). */
    private static final int SIGNED_FORM_BYTES = 128;

    private final FleetSecret secret;
    private final int maxBytes;

    /**
     * @param secret signs and checks outcomes
     * @param maxJsonBytes the largest outcome JSON a worker writes (its return's limit); a longer
     *     text is refused unread
     */
    public OutcomeCodec(FleetSecret secret, int maxJsonBytes) {
        this.secret = secret;
        this.maxBytes = maxJsonBytes + SIGNED_FORM_BYTES;
    }

    /**
     * @param outcome an outcome
     * @return it as stored, signed
     */
    public String write(Outcome outcome) {
        return new String(seal(json(outcome)), StandardCharsets.UTF_8);
    }

    /**
     * Writes an outcome's JSON field by field, as the protocol's mapper binds it (null fields left
     * out): a worker writes one per job, and the mapper's record serializer costs several times
     * more in a worker's C1 code.
     *
     * @param o an outcome
     * @return its JSON, unsigned
     */
    public static byte[] json(Outcome o) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", o.v());
            writeText(g, "jobId", o.jobId());
            g.writeNumberField("pid", o.pid());
            g.writeBooleanField("ok", o.ok());
            if (o.value() != null) {
                g.writeFieldName("value");
                if (o.value().isNull()) {
                    // A job that returns nothing: writeTree would set up the mapper's serializers for it.
                    g.writeNull();
                } else {
                    g.writeTree(o.value());
                }
            }
            writeText(g, "reason", o.reason());
            writeText(g, "errorClass", o.errorClass());
            writeText(g, "message", o.message());
            writeText(g, "stackTrace", o.stackTrace());
            g.writeNumberField("attempt", o.attempt());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the outcome of job " + o.jobId() + " as JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void writeText(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /**
     * @param json an outcome already written as JSON bytes
     * @return it as stored, signed, in bytes
     */
    public byte[] seal(byte[] json) {
        return SignedForm.seal(secret, json);
    }

    /**
     * @param text an outcome as stored
     * @return the outcome
     * @throws IllegalArgumentException when it is larger than any outcome a worker writes, not an
     *     outcome, or its signature is wrong (checked before its body is parsed), or it is unsigned
     *     and not a script's failure: the reader drops it and logs why
     */
    public Outcome read(String text) {
        if (text.length() > maxBytes) {
            throw new IllegalArgumentException("an outcome of " + text.length() + " characters, over the " + maxBytes
                    + " of the largest return (PP_MAX_PAYLOAD / pp.maxPayloadBytes): dropped unread");
        }
        byte[] wire = text.getBytes(StandardCharsets.UTF_8);
        if (!(SignedForm.split(wire) instanceof SignedForm.Parts parts) || parts.version() != SignedForm.VERSION) {
            throw new IllegalArgumentException("not a protocol-" + SignedForm.VERSION + " outcome");
        }
        if (!parts.unsigned() && !secret.verify(wire, parts.bodyOffset(), wire.length - parts.bodyOffset(), parts.signature())) {
            throw new IllegalArgumentException("an outcome with a wrong signature (forged in Redis, or written with"
                    + " another PP_SECRET): dropped unread");
        }
        Outcome o;
        try {
            o = parse(wire, parts.bodyOffset(), wire.length - parts.bodyOffset());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("its body is not an outcome");
        }
        if (o == null || o.jobId() == null) {
            throw new IllegalArgumentException("its body is not an outcome");
        }
        boolean scriptFailure = !o.ok() && o.value() == null && o.reason() != null && SCRIPT_REASONS.contains(o.reason());
        if (parts.unsigned() && !scriptFailure) {
            throw new IllegalArgumentException("outcome of job " + LogText.safe(o.jobId())
                    + " is unsigned and not a script's failure (forged in Redis): dropped");
        }
        return o;
    }

    /**
     * Reads an outcome's JSON field by field, as the mapper would bind it (unknown fields skipped,
     * scalars coerced, a missing field its default): every manager reads every outcome, and a
     * bean binding cost several times this to run and to compile.
     *
     * @return the outcome, or null when the body is not a JSON object
     * @throws IOException when it is not JSON; IllegalArgumentException when a field holds an
     *     object or array where a scalar belongs
     */
    private static Outcome parse(byte[] json, int offset, int length) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int v = 0;
            int attempt = 0;
            long pid = 0;
            boolean ok = false;
            JsonNode value = null;
            String jobId = null;
            String reason = null;
            String errorClass = null;
            String message = null;
            String stackTrace = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "value" -> value = p.currentToken() == JsonToken.VALUE_NULL
                            ? NullNode.getInstance() : p.readValueAsTree();
                    case "v" -> v = scalar(p).getValueAsInt();
                    case "jobId" -> jobId = text(p);
                    case "pid" -> pid = scalar(p).getValueAsLong();
                    case "ok" -> ok = scalar(p).getValueAsBoolean();
                    case "reason" -> reason = text(p);
                    case "errorClass" -> errorClass = text(p);
                    case "message" -> message = text(p);
                    case "stackTrace" -> stackTrace = text(p);
                    case "attempt" -> attempt = scalar(p).getValueAsInt();
                    default -> p.skipChildren();
                }
            }
            return new Outcome(v, jobId, pid, ok, value, reason, errorClass, message, stackTrace, attempt);
        }
    }

    /** @return the parser, on a scalar value: an object or array where an outcome has a scalar is not an outcome */
    private static JsonParser scalar(JsonParser p) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            throw new IllegalArgumentException(p.currentName() + " is not a scalar");
        }
        return p;
    }

    /** @return the scalar value as text, null for JSON null */
    private static String text(JsonParser p) throws IOException {
        return scalar(p).currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
    }
}
