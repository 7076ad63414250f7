package io.parametric.shared.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared functions of {@code lib.lua}, cut down to those scripts use, and the Redis
 * Functions library scripts are loaded as ({@link #functionsCode}). A function is kept when
 * the code of a script, or of a kept function, names it; every statement that is not a function
 * (the settings, the return codes, shared tables) is always kept, in order.
 *
 * <p>Why a library: Redis runs a script's ({@code EVAL}) whole text on every call, and each
 * {@code local function} is a closure made anew each time, with the settings line parsed again:
 * about 24 µs of Redis CPU per call in a loop and 67 µs (median) for a call between other
 * processes, where an {@code FCALL} of a loaded library costs 2.1 and 12 µs. A library's code runs
 * once, when it is loaded; each call runs only the script's function.
 *
 * <p>It relies on the layout of {@code lib.lua}: a function starts with {@code local function}
 * at the start of a line and ends on that line or at the next line that is exactly {@code end};
 * the comment lines right above a function go with it.
 */
final class LuaLibrary {

    private static final Pattern FUNCTION = Pattern.compile("^local function (\\w+)\\(");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_]\\w*");
    /** Lua comments: a {@code --[[ ]]} block or {@code --} to the end of the line (no string of the scripts holds {@code --}). */
    private static final Pattern COMMENT = Pattern.compile("--\\[\\[.*?]]|--[^\\n]*", Pattern.DOTALL);

    /** A run of lines of the library: a function (name set) or other statements (name null). */
    private record Part(String function, String text) {}

    private final List<Part> parts;
    private final Map<String, Part> functions = new LinkedHashMap<>();

    private LuaLibrary(List<Part> parts) {
        this.parts = parts;
        parts.stream().filter(p -> p.function() != null).forEach(p -> functions.put(p.function(), p));
    }

    /**
     * @param lib the text of {@code lib.lua}
     * @return the library split into its functions and other statements
     */
    static LuaLibrary parse(String lib) {
        List<Part> parts = new ArrayList<>();
        List<String> other = new ArrayList<>();
        List<String> function = null;
        String name = null;
        for (String line : lib.split("\n", -1)) {
            if (function != null) {
                function.add(line);
                if (line.equals("end")) {
                    parts.add(new Part(name, String.join("\n", function)));
                    function = null;
                }
                continue;
            }
            Matcher start = FUNCTION.matcher(line);
            if (!start.find()) {
                other.add(line);
                continue;
            }
            int comments = other.size();
            while (comments > 0 && other.get(comments - 1).startsWith("--")) {
                comments--;
            }
            function = new ArrayList<>(other.subList(comments, other.size()));
            other.subList(comments, other.size()).clear();
            parts.add(new Part(null, String.join("\n", other)));
            other.clear();
            name = start.group(1);
            function.add(line);
            if (line.endsWith(" end")) {
                parts.add(new Part(name, String.join("\n", function)));
                function = null;
            }
        }
        if (function != null) {
            throw new IllegalStateException("lib.lua: function " + name + " has no closing 'end' line");
        }
        parts.add(new Part(null, String.join("\n", other)));
        return new LuaLibrary(parts);
    }

    /**
     * The code of a Redis Functions library holding scripts, without its name line or its
     * registrations: the functions of {@code lib.lua} they need, then each script as the body of a
     * function {@code run_<key>(KEYS, ARGV)}.
     *
     * @param scripts each script's key (a Lua name) and text, in order
     * @return the code
     */
    String functionsCode(Map<String, String> scripts) {
        StringBuilder runs = new StringBuilder();
        scripts.forEach((key, text) -> runs.append("local function run_").append(key).append("(KEYS, ARGV)\n")
                .append(text).append("\nend\n"));
        return neededBy(runs + "begin_run") + runs;
    }

    /**
     * @param function the name to register
     * @param key the key of a script {@link #functionsCode} holds
     * @return the Lua that registers that script under the name: it starts the run
     *     ({@code begin_run} reads the settings), then runs the script
     */
    static String registration(String function, String key) {
        return "redis.register_function('" + function + "', function(keys, args)\n  begin_run(args)\n  return run_"
                + key + "(keys, args)\nend)\n";
    }

    /** @return the names of the library's functions, in order */
    Set<String> functions() {
        return functions.keySet();
    }

    /**
     * @param script the text of one script
     * @return the library's text with only the functions the script's code (not its comments)
     *     needs, in their order
     */
    String neededBy(String script) {
        Set<String> needed = new HashSet<>();
        List<String> toScan = new ArrayList<>(List.of(script));
        parts.stream().filter(p -> p.function() == null).forEach(p -> toScan.add(p.text()));
        while (!toScan.isEmpty()) {
            Matcher names = NAME.matcher(COMMENT.matcher(toScan.remove(toScan.size() - 1)).replaceAll(" "));
            while (names.find()) {
                String used = names.group();
                if (functions.containsKey(used) && needed.add(used)) {
                    toScan.add(functions.get(used).text());
                }
            }
        }
        StringBuilder text = new StringBuilder();
        for (Part p : parts) {
            if (p.function() == null || needed.contains(p.function())) {
                text.append(p.text()).append('\n');
            }
        }
        return text.toString();
    }
}
