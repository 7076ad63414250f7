package io.parametric.shared.protocol;

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

    private final FleetSecret secret;

    /** @param secret signs and checks outcomes */
    public OutcomeCodec(FleetSecret secret) {
        this.secret = secret;
    }

    /**
     * @param outcome an outcome
     * @return it as stored, signed
     */
    public String write(Outcome outcome) {
        return seal(Json.write(outcome).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param json an outcome already written as JSON bytes
     * @return it as stored, signed
     */
    public String seal(byte[] json) {
        return new String(SignedForm.seal(secret, json), StandardCharsets.UTF_8);
    }

    /**
     * @param text an outcome as stored
     * @return the outcome
     * @throws IllegalArgumentException when it is not an outcome, or its signature is wrong, or it is
     *     unsigned and not a script's failure: the reader drops it and logs why
     */
    public Outcome read(String text) {
        byte[] wire = text.getBytes(StandardCharsets.UTF_8);
        if (!(SignedForm.split(wire) instanceof SignedForm.Parts parts) || parts.version() != SignedForm.VERSION) {
            throw new IllegalArgumentException("not a protocol-" + SignedForm.VERSION + " outcome");
        }
        Outcome o;
        try {
            o = Json.MAPPER.readValue(wire, parts.bodyOffset(), wire.length - parts.bodyOffset(), Outcome.class);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("its body is not an outcome");
        }
        if (o == null || o.jobId() == null) {
            throw new IllegalArgumentException("its body is not an outcome");
        }
        boolean scriptFailure = parts.unsigned() && !o.ok() && o.value() == null && SCRIPT_REASONS.contains(o.reason());
        if (!scriptFailure && !secret.verify(wire, parts.bodyOffset(), wire.length - parts.bodyOffset(), parts.signature())) {
            throw new IllegalArgumentException("outcome of job " + LogText.safe(o.jobId())
                    + " has a wrong or missing signature (forged in Redis, or written with another PP_SECRET): dropped");
        }
        return o;
    }
}
