package io.parametric.shared.protocol;

import com.fasterxml.jackson.databind.ObjectReader;
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

    /** Reads outcomes with the type resolved once (a {@code readValue(…, Outcome.class)} resolves it per call). */
    private static final ObjectReader READER = Json.MAPPER.readerFor(Outcome.class);

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
        return new String(seal(Json.writeBytes(outcome)), StandardCharsets.UTF_8);
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
            o = READER.readValue(wire, parts.bodyOffset(), wire.length - parts.bodyOffset());
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("its body is not an outcome");
        }
        if (o == null || o.jobId() == null) {
            throw new IllegalArgumentException("its body is not an outcome");
        }
        boolean scriptFailure = !o.ok() && o.value() == null && SCRIPT_REASONS.contains(o.reason());
        if (parts.unsigned() && !scriptFailure) {
            throw new IllegalArgumentException("outcome of job " + LogText.safe(o.jobId())
                    + " is unsigned and not a script's failure (forged in Redis): dropped");
        }
        return o;
    }
}
