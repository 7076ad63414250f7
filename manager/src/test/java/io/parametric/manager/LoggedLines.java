package io.parametric.manager;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The lines one class logs while it is open, for tests that check what was logged.
 *
 * <pre>{@code
 * try (LoggedLines logged = LoggedLines.of(Reaper.class)) { ...; assertThat(logged.messages()).noneMatch(...); }
 * }</pre>
 */
public final class LoggedLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LoggedLines(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    /** @param source the class whose logger to listen to @return the lines it logs from now on */
    public static LoggedLines of(Class<?> source) {
        return new LoggedLines(source);
    }

    /** @return the formatted messages logged so far, oldest first */
    public List<String> messages() {
        synchronized (appender) { // the appender's lock: logging threads append under it
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
