package io.parametric.shared.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script of the protocol, read from the resources once and loaded into Redis as a Redis
 * Functions library of its own, with the shared functions of {@code lib.lua} it uses
 * ({@link LuaLibrary}). Called by its function's name ({@code FCALL}), which is also the
 * library's; see {@link Redis#eval}.
 *
 * <p>Functions, unlike {@code EVAL} scripts, are named by whoever loads them, and one user may
 * replace a library another user calls. A fleet therefore calls its scripts under names made from
 * a keyed hash of their code ({@link #named}): another fleet's user cannot know them.
 */
public final class LuaScript {

    private static final String FOLDER = "/io/parametric/shared/lua/";
    private static final LuaLibrary LIB = LuaLibrary.parse(resource("lib.lua"));
    /** Hex digits of a hash a name keeps: 64 bits. */
    private static final int NAME_DIGITS = 16;

    private final String name;
    private final String code;
    private final String function;
    private final boolean repeatSafe;

    private LuaScript(String name, String code, String function, boolean repeatSafe) {
        this.name = name;
        this.code = code;
        this.function = function;
        this.repeatSafe = repeatSafe;
    }

    /**
     * @param file the script's file name in the resources, e.g. {@code finish.lua}
     * @return the script as a library with the {@code lib.lua} functions it uses, named by the
     *     SHA-1 of its code
     * @throws IllegalStateException when the resource is missing
     */
    public static LuaScript load(String file) {
        String own = resource(file);
        String code = LIB.functionCode(own);
        return new LuaScript(file, code, functionName(sha1(code)), own.contains("\n  Repeat-safe:"));
    }

    /**
     * @param keyedHash a keyed hash of {@link #code()} (an HMAC with the fleet secret), at least 8 bytes
     * @return the same script under a name made from that hash
     */
    public LuaScript named(byte[] keyedHash) {
        return new LuaScript(name, code, functionName(keyedHash), repeatSafe);
    }

    /** @return the file name */
    public String name() {
        return name;
    }

    /** @return the library's code without its name: what {@link #named} hashes */
    public String code() {
        return code;
    }

    /** @return the library as {@code FUNCTION LOAD} takes it: its name line, its code, the function it registers */
    public String library() {
        return "#!lua name=" + function + "\n" + code
                + "redis.register_function('" + function + "', " + LuaLibrary.CALL + ")\n";
    }

    /** @return the name Redis knows the script's function, and its library, by: {@code pp_} and 16 hex digits */
    public String function() {
        return function;
    }

    /**
     * @return true when the script's header says {@code Repeat-safe}: running it twice (after a
     *     reply lost with the connection) changes nothing more than running it once, so
     *     {@link Redis} may send it again on a fresh connection
     */
    public boolean repeatSafe() {
        return repeatSafe;
    }

    private static String functionName(byte[] hash) {
        return "pp_" + HexFormat.of().formatHex(hash).substring(0, NAME_DIGITS);
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

    private static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
    }
}
