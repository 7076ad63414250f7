package io.parametric.shared.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The wire form of entries and outcomes ({@code docs/protocol.md}, "Entries"):
 * {@code "2" SP signature SP body}, as bytes. Building copies the body once; splitting copies
 * nothing of it, and never throws on bytes read from Redis: what cannot be split is a
 * {@link Malformed} with a reason fit for the dead-letter record.
 *
 * <pre>{@code
 * byte[] entry = SignedForm.seal(secret, body);
 * if (SignedForm.open(secret, entry) instanceof SignedForm.Parts p) {
 *     JsonNode job = mapper.readTree(entry, p.bodyOffset(), entry.length - p.bodyOffset());
 * }
 * }</pre>
 */
public final class SignedForm {

    /** The protocol version this code writes and reads. */
    public static final int VERSION = 2;

    private static final byte SP = ' ';
    /** Digits a version may have: more is not a version. */
    private static final int MAX_VERSION_DIGITS = 4;

    /** Whether each ASCII byte is of the base64url alphabet: one lookup per signature byte. */
    private static final boolean[] BASE64URL = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            BASE64URL[c] = true;
        }
    }

    private SignedForm() {}

    /** What {@link #split} and {@link #open} make of some bytes. */
    public sealed interface Split permits Parts, Malformed {}

    /**
     * Bytes in the wire form.
     *
     * @param version the protocol version they start with
     * @param signature their signature: {@value FleetSecret#UNSIGNED}, or
     *     {@value FleetSecret#SIGNATURE_LENGTH} base64url characters
     * @param bodyOffset where the body starts; it runs to the end
     */
    public record Parts(int version, String signature, int bodyOffset) implements Split {

        /** @return true when the signature is {@value FleetSecret#UNSIGNED} */
        public boolean unsigned() {
            return FleetSecret.UNSIGNED.equals(signature);
        }
    }

    /**
     * Bytes that are not in the wire form, or fail its checks.
     *
     * @param reason what is wrong, for the dead-letter record and the log (no byte of the input)
     */
    public record Malformed(String reason) implements Split {}

    /**
     * @param secret the fleet secret
     * @param body the JSON body
     * @return {@code "2" SP signature SP body}
     */
    public static byte[] seal(FleetSecret secret, byte[] body) {
        return join(secret.sign(body), body);
    }

    /**
     * @param signature a signature from {@link FleetSecret#sign}, or {@value FleetSecret#UNSIGNED}
     * @param body the JSON body
     * @return {@code "2" SP signature SP body}, the body copied once
     */
    public static byte[] join(String signature, byte[] body) {
        byte[] version = Integer.toString(VERSION).getBytes(StandardCharsets.US_ASCII);
        byte[] sig = signature.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[version.length + 1 + sig.length + 1 + body.length];
        System.arraycopy(version, 0, out, 0, version.length);
        out[version.length] = SP;
        System.arraycopy(sig, 0, out, version.length + 1, sig.length);
        out[version.length + 1 + sig.length] = SP;
        System.arraycopy(body, 0, out, version.length + sig.length + 2, body.length);
        return out;
    }

    /**
     * Splits bytes read from Redis, checking only their form (any version, any signature).
     *
     * @param wire the bytes, or null
     * @return their {@link Parts}, or why they are {@link Malformed}
     */
    public static Split split(byte[] wire) {
        if (wire == null || wire.length == 0) {
            return new Malformed("empty: no protocol version, signature or body");
        }
        if (wire[0] == '{') {
            return new Malformed("protocol-1 entry (JSON without version and signature): place it again with a"
                    + " protocol-" + VERSION + " manager");
        }
        int i = 0;
        int version = 0;
        while (i < wire.length && i < MAX_VERSION_DIGITS && wire[i] >= '0' && wire[i] <= '9') {
            version = version * 10 + (wire[i] - '0');
            i++;
        }
        if (i == 0 || i == wire.length || wire[i] != SP) {
            return new Malformed("does not start with a protocol version and a space (expected \"" + VERSION
                    + " <signature> <body>\")");
        }
        int sigStart = ++i;
        while (i < wire.length && i - sigStart <= FleetSecret.SIGNATURE_LENGTH && wire[i] != SP) {
            if (!isBase64Url(wire[i])) {
                return new Malformed("the signature holds a character that is not base64url (expected "
                        + FleetSecret.SIGNATURE_LENGTH + " base64url characters or '" + FleetSecret.UNSIGNED + "')");
            }
            i++;
        }
        int sigLength = i - sigStart;
        if (sigLength > FleetSecret.SIGNATURE_LENGTH) {
            return new Malformed("a signature longer than " + FleetSecret.SIGNATURE_LENGTH + " characters (expected "
                    + FleetSecret.SIGNATURE_LENGTH + " base64url characters or '" + FleetSecret.UNSIGNED + "')");
        }
        if (i == wire.length) {
            return new Malformed("no space after the signature (expected \"" + VERSION + " <signature> <body>\")");
        }
        String signature = new String(wire, sigStart, sigLength, StandardCharsets.US_ASCII);
        if (sigLength != FleetSecret.SIGNATURE_LENGTH && !FleetSecret.UNSIGNED.equals(signature)) {
            return new Malformed("a signature of " + sigLength + " characters (expected " + FleetSecret.SIGNATURE_LENGTH
                    + " base64url characters or '" + FleetSecret.UNSIGNED + "')");
        }
        return new Parts(version, signature, i + 1);
    }

    /**
     * Splits bytes read from Redis and checks them before anything in the body is used: this
     * protocol's version, and a signature made with the fleet secret (or the previous one). An
     * unsigned ({@value FleetSecret#UNSIGNED}) one passes only on an insecure node: outcomes that
     * scripts write unsigned are the caller's to accept, from {@link #split}.
     *
     * @param secret the fleet secret
     * @param wire the bytes, or null
     * @return their {@link Parts}, or why they must not be used
     */
    public static Split open(FleetSecret secret, byte[] wire) {
        Split split = split(wire);
        if (!(split instanceof Parts parts)) {
            return split;
        }
        if (parts.version() != VERSION) {
            return new Malformed("protocol-" + parts.version() + " entry: this side speaks protocol " + VERSION
                    + "; place it again with a protocol-" + VERSION + " manager");
        }
        if (secret.verify(wire, parts.bodyOffset(), wire.length - parts.bodyOffset(), parts.signature())) {
            return parts;
        }
        return new Malformed(parts.unsigned()
                ? "unsigned, but this fleet has a secret: written by someone without the fleet secret, or by a node"
                        + " started with PP_INSECURE=1"
                : "wrong signature: not signed with this fleet's secret (nor PP_SECRET_PREVIOUS): written by someone"
                        + " without the secret, or the manager and the worker have different PP_SECRET");
    }

    private static boolean isBase64Url(byte b) {
        return b >= 0 && BASE64URL[b];
    }
}
