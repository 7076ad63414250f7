package io.parametric.shared.protocol;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fleet secret: the key of the HMAC-SHA-256 signature every entry and outcome carries
 * ({@code docs/protocol.md}, "Entries" and "Outcomes"), so that writing to the fleet's Redis is
 * not enough to run code on its workers or forge a return. Every worker and manager of a fleet
 * holds the same secret; during a rotation they also accept the previous one.
 *
 * <pre>{@code
 * FleetSecret secret = FleetSecret.required();              // PP_SECRET, PP_SECRET_FILE or -Dpp.secret
 * String signature = secret.sign(body);                     // 43 characters, base64url
 * boolean genuine = secret.verify(body, signature);         // current secret, then the previous one
 * }</pre>
 *
 * <p>Where it comes from ({@link #configured()}): {@code PP_SECRET}, else the file named by
 * {@code PP_SECRET_FILE} (its trailing line break dropped), else the system property
 * {@code pp.secret}; at least {@value #MIN_LENGTH} characters, used as their UTF-8 bytes (an
 * empty setting counts as unset).
 * {@code PP_SECRET_PREVIOUS} (or {@code pp.secret.previous}) is accepted when verifying.
 * {@code PP_INSECURE=1} (or {@code pp.insecure=true}) runs without a secret: signatures are
 * {@value #UNSIGNED} and {@link #verify} accepts everything, signed or not — an insecure node
 * has no key to check a signature with, and refusing signed entries would protect nothing, since
 * anyone who can write to Redis can write an unsigned one.
 *
 * <p>The secret never leaves this object except to a child process's environment
 * ({@link #passTo}): {@link #toString()} and every error name only where a secret came from.
 * Thread-safe.
 */
public final class FleetSecret {

    /** The fewest characters a secret may have. */
    public static final int MIN_LENGTH = 16;

    /** The signature of an unsigned entry or outcome: insecure fleets, and outcomes made by scripts. */
    public static final String UNSIGNED = "-";

    /** Characters of a signature: base64url, no padding, of the 32 bytes of HMAC-SHA-256. */
    public static final int SIGNATURE_LENGTH = 43;

    /** How to give a node a secret; the end of every error about a missing or unusable one. */
    static final String HOW_TO_SET = "set PP_SECRET to the fleet's secret (at least " + MIN_LENGTH
            + " characters, the same on every worker and manager of the fleet; for example the output of"
            + " `openssl rand -base64 32`), or PP_SECRET_FILE to a file holding it, or -Dpp.secret=... for a manager;"
            + " PP_INSECURE=1 runs without one, which lets anyone who can write to the fleet's Redis run code on its"
            + " workers (SECURITY.md)";

    /** The largest secret file read. */
    private static final int MAX_FILE_BYTES = 4096;

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** Null when insecure. */
    private final Key current;
    private final Key previous;

    private FleetSecret(String current, String previous) {
        this.current = current == null ? null : new Key(current);
        this.previous = previous == null ? null : new Key(previous);
    }

    /**
     * @param secret the fleet secret, at least {@value #MIN_LENGTH} characters
     * @return a secret that signs and verifies with it
     * @throws ProcessError NOT_ALLOWED when it is null or too short
     */
    public static FleetSecret of(String secret) {
        return of(secret, null);
    }

    /**
     * @param secret the fleet secret, at least {@value #MIN_LENGTH} characters
     * @param previous the secret it replaces, still accepted when verifying, or null
     * @return a secret that signs with {@code secret} and verifies with both
     * @throws ProcessError NOT_ALLOWED when either is too short
     */
    public static FleetSecret of(String secret, String previous) {
        return new FleetSecret(checked(secret, "the fleet secret"),
                previous == null ? null : checked(previous, "the previous fleet secret"));
    }

    /** @return no secret ({@code PP_INSECURE=1}): signs with {@value #UNSIGNED}, accepts everything */
    public static FleetSecret insecure() {
        return new FleetSecret(null, null);
    }

    /** @return a new random secret ({@link #newSecret()}), for a fleet of its own */
    public static FleetSecret generate() {
        return new FleetSecret(newSecret(), null);
    }

    /**
     * @return the text of a new random secret: 32 bytes from {@link SecureRandom} as base64url,
     *     43 characters — for a process that hands it on as {@code PP_SECRET} or {@code pp.secret}
     */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * The secret this process is configured with.
     *
     * @return it
     * @throws ProcessError NOT_ALLOWED when none is set (saying how to set one), or when the one
     *     set cannot be used
     */
    public static FleetSecret required() {
        return configured().orElseThrow(FleetSecret::missing);
    }

    /**
     * The secret this process is configured with, from its environment and system properties (see
     * the class comment).
     *
     * @return it, or empty when none is set
     * @throws ProcessError NOT_ALLOWED when one is set but cannot be used: too short, an
     *     unreadable {@code PP_SECRET_FILE}, a previous secret without a current one, or a secret
     *     together with {@code PP_INSECURE}
     */
    public static Optional<FleetSecret> configured() {
        return configured(System::getenv, System::getProperty);
    }

    static Optional<FleetSecret> configured(UnaryOperator<String> env, UnaryOperator<String> properties) {
        // An empty setting counts as unset: deployment templates pass empty values for what they leave out.
        UnaryOperator<String> setEnv = name -> nonEmpty(env.apply(name));
        UnaryOperator<String> setProperty = name -> nonEmpty(properties.apply(name));
        boolean insecure = insecureFlag(setEnv.apply("PP_INSECURE"), "PP_INSECURE")
                || insecureFlag(setProperty.apply("pp.insecure"), "pp.insecure");
        String current;
        String from;
        if (setEnv.apply("PP_SECRET") != null) {
            current = setEnv.apply("PP_SECRET");
            from = "PP_SECRET";
        } else if (setEnv.apply("PP_SECRET_FILE") != null) {
            Path file = Path.of(setEnv.apply("PP_SECRET_FILE"));
            current = read(file);
            from = "the file " + file + " (PP_SECRET_FILE)";
        } else {
            current = setProperty.apply("pp.secret");
            from = "pp.secret";
        }
        String previous = setEnv.apply("PP_SECRET_PREVIOUS") != null ? setEnv.apply("PP_SECRET_PREVIOUS")
                : setProperty.apply("pp.secret.previous");
        if (insecure) {
            if (current != null || previous != null) {
                throw new ProcessError(Reason.NOT_ALLOWED, "PP_INSECURE (or pp.insecure) and a fleet secret are both set;"
                        + " unset PP_INSECURE to sign with the secret, or unset the secret to run insecure");
            }
            return Optional.of(insecure());
        }
        if (current == null) {
            if (previous != null) {
                throw new ProcessError(Reason.NOT_ALLOWED, "PP_SECRET_PREVIOUS (or pp.secret.previous) is set but no"
                        + " current secret: " + HOW_TO_SET);
            }
            return Optional.empty();
        }
        return Optional.of(new FleetSecret(checked(current, from), previous == null ? null
                : checked(previous, "the previous fleet secret (PP_SECRET_PREVIOUS / pp.secret.previous)")));
    }

    /**
     * @return the error of a node that has no secret, saying how to set one
     */
    public static ProcessError missing() {
        return new ProcessError(Reason.NOT_ALLOWED, "no fleet secret: " + HOW_TO_SET);
    }

    /** @return true when this is no secret ({@code PP_INSECURE=1}) */
    public boolean isInsecure() {
        return current == null;
    }

    /**
     * @return the line to log as a warning when a node starts, or empty when it has a secret
     */
    public Optional<String> warning() {
        return isInsecure()
                ? Optional.of("PP_INSECURE is set: this fleet runs without a secret, so entries and outcomes are not"
                        + " signed and anyone who can write to its Redis can run code on its workers and forge returns;"
                        + " set PP_SECRET on every worker and manager instead (SECURITY.md)")
                : Optional.empty();
    }

    /**
     * @param body the bytes to sign
     * @return the signature: base64url without padding of HMAC-SHA-256 ({@value #SIGNATURE_LENGTH}
     *     characters), or {@value #UNSIGNED} when insecure
     */
    public String sign(byte[] body) {
        return sign(body, 0, body.length);
    }

    /**
     * @param data holds the bytes to sign
     * @param offset where they start
     * @param length how many
     * @return as {@link #sign(byte[])}
     */
    public String sign(byte[] data, int offset, int length) {
        return isInsecure() ? UNSIGNED : BASE64URL.encodeToString(current.hmac(data, offset, length));
    }

    /**
     * @param body the signed bytes
     * @param signature the signature that came with them
     * @return true when it is the signature of {@code body} with the current or the previous
     *     secret (compared in constant time), always true when insecure
     */
    public boolean verify(byte[] body, String signature) {
        return verify(body, 0, body.length, signature);
    }

    /**
     * @param data holds the signed bytes
     * @param offset where they start
     * @param length how many
     * @param signature the signature that came with them
     * @return as {@link #verify(byte[], String)}
     */
    public boolean verify(byte[] data, int offset, int length, String signature) {
        if (isInsecure()) {
            return true;
        }
        if (signature == null || signature.length() != SIGNATURE_LENGTH) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
        return current.matches(data, offset, length, given)
                || (previous != null && previous.matches(data, offset, length, given));
    }

    /**
     * Gives a child process (a spawned worker) this secret through its environment — never its
     * command line, which any local user can read: {@code PP_SECRET} (and
     * {@code PP_SECRET_PREVIOUS}), or {@code PP_INSECURE=1}; the other secret settings it may have
     * inherited are removed.
     *
     * @param environment the child's environment, e.g. {@link ProcessBuilder#environment()}
     */
    public void passTo(Map<String, String> environment) {
        environment.remove("PP_SECRET_FILE");
        environment.remove("PP_SECRET_PREVIOUS");
        if (isInsecure()) {
            environment.remove("PP_SECRET");
            environment.put("PP_INSECURE", "1");
            return;
        }
        environment.remove("PP_INSECURE");
        environment.put("PP_SECRET", current.secret);
        if (previous != null) {
            environment.put("PP_SECRET_PREVIOUS", previous.secret);
        }
    }

    /** @return what kind of secret this is, never the secret */
    @Override
    public String toString() {
        return isInsecure() ? "FleetSecret[insecure]"
                : previous == null ? "FleetSecret[set]" : "FleetSecret[set, previous accepted]";
    }

    /** One secret and its HMAC: a {@link Mac} is not thread-safe, so each thread keeps its own. */
    private static final class Key {
        /** Kept only to hand to spawned workers ({@link #passTo}). */
        final String secret;
        /** Initialised once; each thread's Mac is a copy of it (no provider lookup or key setup). */
        private final Mac prototype;
        /** Each thread's Mac: {@code doFinal} leaves it ready for the next message, so nothing is copied per message. */
        private final ThreadLocal<Mac> macs;

        Key(String secret) {
            this.secret = secret;
            this.prototype = newMac(secret);
            this.macs = ThreadLocal.withInitial(this::copy);
        }

        private Mac copy() {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                return newMac(secret);
            }
        }

        byte[] hmac(byte[] data, int offset, int length) {
            Mac mac = macs.get();
            mac.update(data, offset, length);
            return mac.doFinal();
        }

        boolean matches(byte[] data, int offset, int length, byte[] signature) {
            return MessageDigest.isEqual(BASE64URL.encode(hmac(data, offset, length)), signature);
        }

        private static Mac newMac(String secret) {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM has no " + ALGORITHM + " (every Java 17 has it): " + e, e);
            }
        }
    }

    private static String checked(String secret, String from) {
        if (secret == null) {
            throw missing();
        }
        int length = secret.codePointCount(0, secret.length());
        if (length < MIN_LENGTH) {
            throw new ProcessError(Reason.NOT_ALLOWED, "the fleet secret from " + from + " has " + length
                    + " characters, fewer than " + MIN_LENGTH + "; " + HOW_TO_SET);
        }
        return secret;
    }

    private static String read(Path file) {
        byte[] bytes;
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            // Bounded: a wrong path (a log, a device) must not fill the heap.
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IOException | RuntimeException e) {
            // The exception's class says enough (no such file, no permission, not UTF-8); its
            // message could quote the file's bytes.
            throw new ProcessError(Reason.NOT_ALLOWED, "cannot read the fleet secret from the file " + file
                    + " named by PP_SECRET_FILE (" + e.getClass().getSimpleName() + "); make it a readable UTF-8 file"
                    + " holding the secret, or " + HOW_TO_SET);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ProcessError(Reason.NOT_ALLOWED, "the file " + file + " named by PP_SECRET_FILE holds more than "
                    + MAX_FILE_BYTES + " bytes, which is no secret: name the file that holds only the secret");
        }
        return text.replaceFirst("[\r\n]+$", "");
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static boolean insecureFlag(String value, String name) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw new ProcessError(Reason.NOT_ALLOWED, name + " must be 1 or 0 (true or false), not '"
                    + LogText.safe(value) + "'");
        };
    }
}
