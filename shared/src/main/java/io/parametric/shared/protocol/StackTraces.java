package io.parametric.shared.protocol;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Renders a job's exception for the outcome: whole, but bounded in size. */
final class StackTraces {

    private static final int MAX_CHARS = 16 * 1024;

    private StackTraces() {}

    static String trimmed(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "\n\t... (trimmed)";
    }
}
