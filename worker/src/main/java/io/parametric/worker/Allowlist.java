package io.parametric.worker;

import java.util.List;
import java.util.Objects;

/**
 * Which classes jobs may name on a worker: a record's class, or the class that captured a lambda
 * or method reference (and the implementing class), must fall under one of the package
 * prefixes. Registered job types are always allowed. JDK classes ({@code java.*},
 * {@code javax.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*}) are never admitted: a job may
 * only reference the pure functions of {@link JdkFunctions}. There is no "every class": a
 * worker fed from Redis names the packages of its application ({@code --allow} /
 * {@code PP_ALLOW}); workers spawned by {@code processes(n)} get theirs from their manager.
 *
 * <pre>{@code
 * Allowlist allow = Allowlist.of(List.of("com.acme.jobs", "org.example"));
 * allow.admits("com.acme.jobs.Resize");   // true
 * allow.admits("com.acmex.Evil");         // false
 * }</pre>
 */
public final class Allowlist {

    private static final Allowlist IN_PROCESS = new Allowlist(null);
    private static final Allowlist NOTHING = new Allowlist(List.of());

    /** Package prefixes, or null for every application class. */
    private final List<String> prefixes;

    private Allowlist(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    /**
     * The allowlist of a runner inside the manager's own JVM ({@code Async} and in-process kinds),
     * whose payloads are made in that JVM and never read from Redis: every application class
     * (still no JDK class, and still only serializable lambda targets).
     *
     * @return that allowlist
     */
    public static Allowlist inProcess() {
        return IN_PROCESS;
    }

    /** @return an allowlist that admits no class: only registered job types run */
    public static Allowlist nothing() {
        return NOTHING;
    }

    /**
     * @param prefixes package (or class) prefixes such as {@code com.acme.jobs}; a prefix admits
     *     that package or class and everything nested under it, never a sibling that merely starts
     *     with the same letters
     * @return the allowlist
     * @throws IllegalArgumentException for {@code *} (every class) or a JDK package: name the
     *     application's packages instead
     */
    public static Allowlist of(List<String> prefixes) {
        List<String> clean = prefixes.stream()
                .filter(Objects::nonNull)
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .map(p -> p.endsWith(".") ? p.substring(0, p.length() - 1) : p)
                .distinct()
                .toList();
        for (String p : clean) {
            if (p.contains("*")) {
                throw new IllegalArgumentException("--allow / PP_ALLOW '" + p + "' is refused: admitting every class would let"
                        + " anyone who can write to the fleet's Redis run any code; name your job packages, e.g. --allow com.acme.jobs");
            }
            if (JdkFunctions.isJdk(p + ".")) {
                throw new IllegalArgumentException("--allow / PP_ALLOW '" + p + "' is refused: JDK classes are never admitted"
                        + " (jobs may reference Math, Integer, Long, Double, Boolean and String functions without it)");
            }
        }
        return clean.isEmpty() ? NOTHING : new Allowlist(clean);
    }

    /**
     * @param className a binary class name, e.g. {@code com.acme.jobs.Outer$Inner}
     * @return true when jobs may name that class
     */
    public boolean admits(String className) {
        if (className == null || JdkFunctions.isJdk(className)) {
            return false;
        }
        if (prefixes == null) {
            return true;
        }
        for (String p : prefixes) {
            if (className.equals(p) || className.startsWith(p + ".") || className.startsWith(p + "$")) {
                return true;
            }
        }
        return false;
    }

    /** @return the prefixes; empty when only registered types run, {@code [in-process]} for {@link #inProcess()} */
    public List<String> prefixes() {
        return prefixes == null ? List.of("in-process") : prefixes;
    }

    @Override
    public String toString() {
        return String.join(",", prefixes());
    }
}
