package io.parametric.shared.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script of the protocol, read from the resources once, with the shared functions of
 * {@code lib.lua} it uses in front ({@link LuaLibrary}). Called by SHA; see {@link Redis#eval}.
 */
public final class LuaScript {

    private static final String FOLDER = "/io/parametric/shared/lua/";
    private static final LuaLibrary LIB = LuaLibrary.parse(resource("lib.lua"));

    private final String name;
    private final String body;
    private final String sha;
    private final boolean repeatSafe;

    private LuaScript(String name, String body, boolean repeatSafe) {
        this.name = name;
        this.body = body;
        this.sha = sha1(body);
        this.repeatSafe = repeatSafe;
    }

    /**
     * @param file the script's file name in the resources, e.g. {@code finish.lua}
     * @return the script with the {@code lib.lua} functions it uses prepended
     * @throws IllegalStateException when the resource is missing
     */
    public static LuaScript load(String file) {
        String own = resource(file);
        return new LuaScript(file, LIB.neededBy(own) + own, own.contains("\n  Repeat-safe:"));
    }

    /** @return the file name */
    public String name() {
        return name;
    }

    /** @return the whole script text as sent to Redis */
    public String body() {
        return body;
    }

    /**
     * @return true when the script's header says {@code Repeat-safe}: running it twice (after a
     *     reply lost with the connection) changes nothing more than running it once, so
     *     {@link Redis} may send it again on a fresh connection
     */
    public boolean repeatSafe() {
        return repeatSafe;
    }

    /** @return the SHA-1 Redis knows the script by */
    public String sha() {
        return sha;
    }

    private static String resource(String file) {
        try (InputStream in = LuaScript.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + FOLDER + file + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua script " + file, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
    }
}
