package io.parametric.worker;

import io.parametric.shared.redis.RedisUrl;
import io.parametric.shared.protocol.LogText;
import io.parametric.shared.protocol.ThrowableText;
import java.util.List;
import java.util.Locale;

/**
 * Ends the worker process when it cannot go on, with one line on standard error and a
 * documented non-zero status, never quietly and never with status 0 (an orchestrator would take
 * that for a clean stop):
 * <ul>
 *   <li>{@value #OUT_OF_MEMORY}: the JVM ran out of memory (a job too big for the heap). The
 *       job's delivery was counted before it ran, so a job that does it every time becomes
 *       poison after its delivery limit instead of killing worker after worker. A JVM started
 *       with {@code -XX:+ExitOnOutOfMemoryError} (spawned workers, the worker image) ends itself
 *       with status 3 at the first OutOfMemoryError, in any thread, before this code runs: the
 *       same meaning, and nothing half-broken lingers.</li>
 *   <li>{@value #REDIS_REFUSED}: Redis refused the worker as it joined the fleet: a wrong
 *       password or user ({@code WRONGPASS}, {@code NOAUTH}), a missing ACL permission
 *       ({@code NOPERM}), or fleet keys holding data of another type ({@code WRONGTYPE}); or the
 *       worker refused Redis: its TLS certificate is not one the worker's JVM trusts. Retrying
 *       cannot help; the configuration must change.</li>
 *   <li>{@value #NO_SECRET} too: the worker has no usable fleet secret ({@code PP_SECRET},
 *       {@code PP_SECRET_FILE}), so it could neither check the jobs it takes nor sign its
 *       outcomes; {@link WorkerMain} says how to set one before anything starts.</li>
 *   <li>{@value #UNEXPECTED}: anything else that ended a slot before it served (a bug).</li>
 * </ul>
 * The other statuses: 0 a clean stop (SIGTERM, closed by its manager), 2 bad settings
 * ({@link WorkerMain}), {@value Launcher#EXIT_STUCK_JOB} a job ignored its timeout,
 * {@value Slot#EXIT_REAPED} a spawned worker found it was declared dead.
 */
final class FatalExit {

    /** Exit status after an {@link OutOfMemoryError}. */
    static final int OUT_OF_MEMORY = 71;

    /** Exit status when Redis refused the worker at start (authentication, ACL, key types). */
    static final int REDIS_REFUSED = 78;

    /**
     * Exit status when the worker has no usable fleet secret: like {@link #REDIS_REFUSED}, a
     * configuration that must change (sysexits' {@code EX_CONFIG}).
     */
    static final int NO_SECRET = 78;

    /** Exit status when a slot ended on an unexpected error before it served. */
    static final int UNEXPECTED = 1;

    private FatalExit() {}

    /**
     * @param t anything a job or the slot threw
     * @return true when the process cannot go on after it: the JVM is out of memory (a stack
     *     overflow or any other error only ends its job)
     */
    static boolean isFatal(Throwable t) {
        return ThrowableText.causes(t).stream().anyMatch(OutOfMemoryError.class::isInstance);
    }

    /**
     * Ends the process after an error {@link #isFatal} says it cannot survive.
     *
     * @param detail the error's message
     * @param where what was running, e.g. "job 5f3c… on worker 3"
     */
    static void outOfMemory(String detail, String where) {
        exit(OUT_OF_MEMORY, "out of memory while running " + where + " (" + LogText.safe(detail)
                + "); exiting so the job is redelivered and counted (it becomes poison after its delivery limit);"
                + " give the worker more heap (-Xmx) or the job less data");
    }

    /**
     * Ends the process for an error that ended a slot before it served: one line, the status
     * {@value #REDIS_REFUSED} when Redis refused the worker, else {@value #UNEXPECTED}.
     *
     * @param t what ended the slot
     * @param redisUrl the worker's Redis URL, printed redacted
     */
    static void slotFailed(Throwable t, String redisUrl) {
        if (isFatal(t)) {
            outOfMemory(String.valueOf(t.getMessage()), "the worker's own code");
        }
        if (t instanceof io.parametric.shared.ProcessError pe && pe.reason() == io.parametric.shared.ProcessError.Reason.ILLEGAL_STATE) {
            // The fleet refused this worker (another protocol version): nothing a restart changes.
            exit(REDIS_REFUSED, LogText.safe(pe.getMessage()));
        }
        String message = rootMessage(t);
        String code = message.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        String where = "Redis at " + RedisUrl.redact(redisUrl);
        if (Recovery.isUntrustedCertificate(t)) {
            exit(REDIS_REFUSED, where + " presented a TLS certificate this worker does not trust (" + LogText.safe(message)
                    + "): give the worker's JVM a trust store holding the certificate's CA (-Djavax.net.ssl.trustStore=…,"
                    + " in the image through JAVA_TOOL_OPTIONS; see SECURITY.md), and use the host name the certificate names");
        }
        switch (code) {
            case "WRONGPASS", "NOAUTH" -> exit(REDIS_REFUSED, where + " refused the worker's credentials (" + code
                    + "): fix the user and password in PP_REDIS_URL / --redis");
            case "NOPERM" -> exit(REDIS_REFUSED, where + " refused a command: " + LogText.safe(message)
                    + "; give the worker's Redis user the ACL of SECURITY.md");
            case "WRONGTYPE", "ERR" -> exit(REDIS_REFUSED, where + " holds fleet keys of another type or value ("
                    + LogText.safe(message) + "); the fleet name (PP_FLEET) collides with other data — use another fleet name");
            default -> exit(UNEXPECTED, "a worker slot ended on an unexpected error before it served: "
                    + LogText.safe(t.toString()));
        }
    }

    private static String rootMessage(Throwable t) {
        List<Throwable> chain = ThrowableText.causes(t);
        String root = ThrowableText.messageOrNull(chain.get(chain.size() - 1));
        return root != null ? root : ThrowableText.message(t);
    }

    private static void exit(int status, String line) {
        System.out.flush();
        System.err.println("parametric-worker: " + line + " (exit status " + status + ")");
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
