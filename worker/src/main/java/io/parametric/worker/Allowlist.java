package io.parametric.worker;

import java.util.List;
import java.util.Objects;

/**
 * Which classes jobs may run on a worker: a lambda's implementing class or a record's class must
 * fall under one of the package prefixes. Registered job types are always allowed. Workers
 * spawned by {@code processes(n)} admit {@link #everything()}; standalone workers admit only
 * their {@code PP_ALLOW} prefixes.
 *
 * <pre>{@code
 * Allowlist allow = Allowlist.of(List.of("com.acme.jobs", "org.example"));
 * allow.admits("com.acme.jobs.Resize");   // true
 * allow.admits("com.acmex.Evil");         // false
 * }</pre>
 */
public final class Allowlist {

    private static final Allowlist EVERYTHING = new Allowlist(null);
    private static final Allowlist NOTHING = new Allowlist(List.of());

    /** Package prefixes, or null for every class. */
    private final List<String> prefixes;

    private Allowlist(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    /** @return an allowlist that admits every class on the worker's classpath */
    public static Allowlist everything() {
        return EVERYTHING;
    }

    /** @return an allowlist that admits no class: only registered job types run */
    public static Allowlist nothing() {
        return NOTHING;
    }

    /**
     * @param prefixes package (or class) prefixes such as {@code com.acme.jobs}; a prefix admits
     *     that package or class and everything nested under it, never a sibling that merely starts
     *     with the same letters; the single prefix {@code *} admits everything
     * @return the allowlist
     */
    public static Allowlist of(List<String> prefixes) {
        List<String> clean = prefixes.stream()
                .filter(Objects::nonNull)
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .map(p -> p.endsWith(".") ? p.substring(0, p.length() - 1) : p)
                .distinct()
                .toList();
        if (clean.contains("*")) {
            return EVERYTHING;
        }
        return clean.isEmpty() ? NOTHING : new Allowlist(clean);
    }

    /**
     * @param className a binary class name, e.g. {@code com.acme.jobs.Outer$Inner}
     * @return true when jobs may run that class
     */
    public boolean admits(String className) {
        if (className == null) {
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

    /** @return the prefixes, {@code [*]} for everything */
    public List<String> prefixes() {
        return prefixes == null ? List.of("*") : prefixes;
    }

    @Override
    public String toString() {
        return prefixes == null ? "*" : String.join(",", prefixes);
    }
}
