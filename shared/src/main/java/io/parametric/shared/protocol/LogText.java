package io.parametric.shared.protocol;

/**
 * Text read from Redis, made safe for one log line: control characters (a newline could forge a
 * log line) are escaped and the length is bounded.
 *
 * <pre>{@code
 * log.warn("dead-lettered: {}", LogText.safe(reason));
 * }</pre>
 */
public final class LogText {

    /** The most characters of one value a log line shows. */
    public static final int MAX = 500;

    private LogText() {}

    /**
     * @param text any text, or null
     * @return it with control characters as {@code \\uXXXX}, cut to {@value #MAX} characters
     */
    public static String safe(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 16);
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX && text.length() > MAX) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * @param text any text
     * @return true when it holds no control character
     */
    public static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }
}
