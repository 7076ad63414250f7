package io.parametric.shared.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scripts of the protocol, read from the resources once and loaded into Redis as one Redis
 * Functions library ({@code FUNCTION LOAD}): the shared functions of {@code lib.lua} they use,
 * once, then each script as a function of its own ({@link LuaLibrary}), called by name
 * ({@code FCALL}; see {@link Redis#eval}).
 *
 * <p>The library is named {@code pp_} and 16 hex digits of a hash of its code, and each script's
 * function is the library's name, {@code _} and the script's name ({@code pp_…_place}), so the
 * libraries of different code never meet under one name. Functions, unlike {@code EVAL} scripts,
 * are named by whoever loads them, and one Redis user may replace a library another user calls: a
 * fleet therefore names its library by a keyed hash of the code ({@link #named}), which another
 * fleet's user cannot know.
 */
public final class LuaScripts {

    private static final String FOLDER = "/io/parametric/shared/lua/";
    private static final LuaLibrary LIB = LuaLibrary.parse(resource("lib.lua"));
    /** Hex digits of a hash a name keeps: 64 bits. */
    private static final int NAME_DIGITS = 16;

    /** Each script's file name and its key: the file name without {@code .lua}, a Lua name. */
    private final Map<String, String> keys;
    /** Each script's file name and whether its header says {@code Repeat-safe}. */
    private final Map<String, Boolean> repeatSafe;
    private final String code;
    private final String name;
    /** {@link #library()}'s text, built on first use: about 260 KB, needed only to load it. */
    private volatile String library;

    private LuaScripts(Map<String, String> keys, Map<String, Boolean> repeatSafe, String code, String name) {
        this.keys = keys;
        this.repeatSafe = repeatSafe;
        this.code = code;
        this.name = name;
    }

    /**
     * @param files the scripts' file names in the resources, e.g. {@code finish.lua}
     * @return them as one library with the {@code lib.lua} functions they use, named by the SHA-1
     *     of its code
     * @throws IllegalStateException when a resource is missing
     */
    public static LuaScripts load(String... files) {
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Boolean> repeatSafe = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (String file : files) {
            String text = resource(file);
            String key = file.replaceFirst("\\.lua$", "").replaceAll("\\W", "_");
            keys.put(file, key);
            repeatSafe.put(file, text.contains("\n  Repeat-safe:"));
            texts.put(key, text);
        }
        String code = LIB.functionsCode(texts);
        return new LuaScripts(keys, repeatSafe, code, libraryName(sha1(code)));
    }

    /**
     * @param keyedHash a keyed hash of {@link #code()} (an HMAC with the fleet secret), at least 8 bytes
     * @return the same scripts in a library named from that hash
     */
    public LuaScripts named(byte[] keyedHash) {
        return new LuaScripts(keys, repeatSafe, code, libraryName(keyedHash));
    }

    /**
     * @param file one of the scripts' file names
     * @return that script, to call
     * @throws IllegalArgumentException when the library does not hold it
     */
    public LuaScript script(String file) {
        String key = keys.get(file);
        if (key == null) {
            throw new IllegalArgumentException("the library " + name + " holds no script " + file);
        }
        return new LuaScript(file, name + "_" + key, repeatSafe.get(file), this);
    }

    /** @return the library's code without its name line or registrations: what {@link #named} hashes */
    public String code() {
        return code;
    }

    /** @return the library's name: {@code pp_} and 16 hex digits */
    public String name() {
        return name;
    }

    /** @return the library as {@code FUNCTION LOAD} takes it: its name line, its code, the functions it registers */
    public String library() {
        String text = library;
        if (text == null) {
            StringBuilder built = new StringBuilder("#!lua name=").append(name).append('\n').append(code);
            keys.values().forEach(key -> built.append(LuaLibrary.registration(name + "_" + key, key)));
            text = built.toString();
            library = text;
        }
        return text;
    }

    private static String libraryName(byte[] hash) {
        return "pp_" + HexFormat.of().formatHex(hash).substring(0, NAME_DIGITS);
    }

    private static String resource(String file) {
        try (InputStream in = LuaScripts.class.getResourceAsStream(FOLDER + file)) {
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
