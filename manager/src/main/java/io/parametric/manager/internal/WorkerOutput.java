package io.parametric.manager.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Forwards the lines a spawned worker prints to the manager's logging, under the logger
 * {@code pp.worker.<worker name>}: a line the worker's own logging wrote
 * ({@code 12:00:00.000 WARN  [thread] Slot - ...}) keeps its level and message, except the
 * worker's per-job INFO lines ({@code ... - job <id> done on worker ...}), which come at DEBUG so
 * a manager's log is not one line per job; the line HotSpot prints when it reads the worker's
 * compiler directives ({@link WorkerJit}: {@code 2 compiler directives added}) comes at DEBUG too;
 * anything else (a job's {@code System.out}, a stack trace) is forwarded at INFO as printed.
 */
final class WorkerOutput {

    /** A worker's log line: time, level, then the rest. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\S+\\s+(TRACE|DEBUG|INFO|WARN|ERROR)\\s+(.*)$");
    /** The message of a per-job line, after the thread and logger name. */
    private static final Pattern PER_JOB = Pattern.compile("^(\\[[^]]*\\]\\s+)?\\S+\\s+-\\s+job\\s.*");
    /** What HotSpot prints, unasked, on reading a compiler directives file. */
    private static final Pattern DIRECTIVES_READ = Pattern.compile("^\\d+ compiler directives added$");

    private final Logger log;

    /** @param workerName the worker's name, or a stand-in until it has registered */
    WorkerOutput(String workerName) {
        this.log = Logs.get("pp.worker." + workerName);
    }

    void forward(String line) {
        Leveled l = parse(line);
        log.atLevel(l.level()).log(l.text());
    }

    /**
     * @param line a line the worker printed
     * @return its level and text
     */
    static Leveled parse(String line) {
        Matcher m = LOG_LINE.matcher(line);
        if (!m.matches()) {
            return new Leveled(DIRECTIVES_READ.matcher(line).matches() ? Level.DEBUG : Level.INFO, line);
        }
        Level level = Level.valueOf(m.group(1));
        boolean perJob = level == Level.INFO && PER_JOB.matcher(m.group(2)).matches();
        return new Leveled(perJob ? Level.DEBUG : level, m.group(2));
    }

    /**
     * @param level the level to log at
     * @param text what to log
     */
    record Leveled(Level level, String text) {}
}
