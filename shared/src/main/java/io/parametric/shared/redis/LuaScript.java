package io.parametric.shared.redis;

/**
 * One script of a {@link LuaScripts} library: the function to call ({@code FCALL}), and the
 * library to load when Redis does not have it; see {@link Redis#eval}.
 */
public final class LuaScript {

    private final String name;
    private final String function;
    private final boolean repeatSafe;
    private final LuaScripts library;

    LuaScript(String name, String function, boolean repeatSafe, LuaScripts library) {
        this.name = name;
        this.function = function;
        this.repeatSafe = repeatSafe;
        this.library = library;
    }

    /**
     * @param file the script's file name in the resources, e.g. {@code finish.lua}
     * @return the script in a library of its own
     * @throws IllegalStateException when the resource is missing
     */
    public static LuaScript load(String file) {
        return LuaScripts.load(file).script(file);
    }

    /** @return the file name */
    public String name() {
        return name;
    }

    /** @return the name Redis knows the script's function by: its library's name, {@code _} and the script's name */
    public String function() {
        return function;
    }

    /** @return the library that holds it, as {@code FUNCTION LOAD} takes it */
    public String library() {
        return library.library();
    }

    /**
     * @return true when the script's header says {@code Repeat-safe}: running it twice (after a
     *     reply lost with the connection) changes nothing more than running it once, so
     *     {@link Redis} may send it again on a fresh connection
     */
    public boolean repeatSafe() {
        return repeatSafe;
    }
}
