package io.parametric.shared.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that makes a Redis URL fit to print: the password is replaced by {@code ***}
 * whatever it holds ({@code @}, {@code /}, {@code :}, percent escapes), for every shape
 * ({@code redis://:pw@h}, {@code redis://user:pw@h}, {@code rediss://}, cluster and sentinel
 * lists, a URL without a scheme), and texts that quote a URL or its password — exception
 * messages — are scrubbed the same way.
 *
 * <pre>{@code
 * RedisUrl.redact("redis://app:p@ss/w0rd@redis:6379/0");   // redis://app:***@redis:6379/0
 * RedisUrl.scrub("bad URI redis://app:p@ss@h", url);       // bad URI redis://app:***@h
 * }</pre>
 */
public final class RedisUrl {

    private static final String MASK = "***";

    private RedisUrl() {}

    /**
     * @param url a Redis URL as configured, possibly malformed, or null
     * @return it with any password replaced by {@code ***}; a user name is kept
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        // Host names never hold '@': the credentials end at the last one, so '@' and '/' in a
        // password cannot end them early.
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? MASK : userInfo.substring(0, colon) + ":" + MASK;
        return url.substring(0, start) + shown + url.substring(at);
    }

    /**
     * @param text any text, e.g. an exception message, or null
     * @param url the URL it may quote
     * @return the text with the URL redacted, and its password (as written and percent-decoded)
     *     replaced by {@code ***} wherever else it appears
     */
    public static String scrub(String text, String url) {
        if (text == null || url == null) {
            return text;
        }
        String out = text.replace(url, redact(url));
        for (String secret : secrets(url)) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /** @return the password as written and decoded, longest first; none shorter than 3 characters */
    private static List<String> secrets(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        List<String> found = new ArrayList<>();
        if (at < start) {
            return found;
        }
        String userInfo = url.substring(start, at);
        String password = userInfo.substring(userInfo.indexOf(':') + 1);
        found.add(password);
        try {
            found.add(URLDecoder.decode(password.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not valid percent-encoding: only the raw form can appear
        }
        found.removeIf(s -> s.length() < 3);
        found.sort((a, b) -> b.length() - a.length());
        return found;
    }
}
