package io.parametric.shared.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a class's bytecode as its class loader has it. A lambda's payload carries the
 * fingerprint of its implementing class; a worker whose class differs refuses the job rather
 * than run a different method by accident. A loaded class's bytecode does not change, so each
 * class is read and hashed once (a worker asks for every job it runs).
 */
public final class ClassFingerprint {

    private static final ClassValue<String> FINGERPRINTS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return read(type);
        }
    };

    private ClassFingerprint() {}

    /**
     * @param type a class
     * @return its bytecode's SHA-256, hex
     * @throws IllegalArgumentException when the class file cannot be read (e.g. a generated class)
     */
    public static String of(Class<?> type) {
        return FINGERPRINTS.get(type);
    }

    private static String read(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("the bytecode of " + type.getName() + " cannot be read from its class loader");
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("cannot fingerprint " + type.getName() + ": " + e.getMessage(), e);
        }
    }
}
