package io.parametric.shared.protocol;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Describes what a job threw without trusting it: a job's exception class may override
 * {@code getMessage()} or {@code toString()} with code that throws (even itself), and describing
 * it must still give the job a plain failure instead of ending the slot that ran it.
 *
 * <pre>{@code
 * String text = ThrowableText.describe(e); // "com.acme.BadThing: its message", never throws
 * }</pre>
 */
public final class ThrowableText {

    private static final int MAX_STACK_CHARS = 16 * 1024;
    private static final int MAX_CAUSES = 64;

    private ThrowableText() {}

    /**
     * @param t a throwable
     * @return its message ({@code "null"} when it has none), or what its {@code getMessage()} threw
     */
    public static String message(Throwable t) {
        try {
            return String.valueOf(t.getMessage());
        } catch (Throwable e) {
            rethrowIfOutOfMemory(e);
            return threw("getMessage()", e);
        }
    }

    /**
     * @param t a throwable
     * @return its message, or null when it has none or its {@code getMessage()} throws
     */
    public static String messageOrNull(Throwable t) {
        try {
            return t.getMessage();
        } catch (Throwable e) {
            rethrowIfOutOfMemory(e);
            return null;
        }
    }

    /**
     * @param t a throwable
     * @return {@code class: message} like {@link Throwable#toString()}, without calling it
     */
    public static String describe(Throwable t) {
        String message;
        try {
            message = t.getMessage();
        } catch (Throwable e) {
            rethrowIfOutOfMemory(e);
            message = threw("getMessage()", e);
        }
        return message == null ? t.getClass().getName() : t.getClass().getName() + ": " + message;
    }

    /**
     * @param t a throwable
     * @return it and its causes, outermost first: each once (a cycle of causes ends the list), at
     *     most 64, ending early where a {@code getCause()} throws
     */
    public static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && chain.size() < MAX_CAUSES && seen.add(c); ) {
            chain.add(c);
            try {
                c = c.getCause();
            } catch (Throwable e) {
                rethrowIfOutOfMemory(e);
                c = null;
            }
        }
        return chain;
    }

    /**
     * @param t a throwable
     * @return its stack trace with causes, bounded in size; when printing it throws, its class,
     *     message and own frames
     */
    public static String stackTrace(Throwable t) {
        String text;
        try {
            StringWriter out = new StringWriter();
            t.printStackTrace(new PrintWriter(out));
            text = out.toString();
        } catch (Throwable e) {
            rethrowIfOutOfMemory(e);
            text = ownFrames(t, e);
        }
        return text.length() <= MAX_STACK_CHARS ? text : text.substring(0, MAX_STACK_CHARS) + "\n\t... (trimmed)";
    }

    private static String ownFrames(Throwable t, Throwable printing) {
        StringBuilder b = new StringBuilder(describe(t)).append(' ').append(threw("printing its stack trace", printing))
                .append('\n');
        try {
            for (StackTraceElement frame : t.getStackTrace()) {
                b.append("\tat ").append(frame).append('\n');
            }
        } catch (Throwable e) {
            rethrowIfOutOfMemory(e);
        }
        return b.toString();
    }

    private static String threw(String what, Throwable e) {
        return "(" + what + " threw " + e.getClass().getName() + ")";
    }

    /** Out of memory is the process's problem, not the job's: it is never swallowed here. */
    private static void rethrowIfOutOfMemory(Throwable e) {
        if (e instanceof OutOfMemoryError oom) {
            throw oom;
        }
    }
}
