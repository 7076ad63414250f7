package io.parametric.manager.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The manager's loggers. The library logs through SLF4J only; an application chooses the binding
 * (logback-classic, slf4j-simple, ...). Without one, SLF4J would drop every line, so the manager
 * says so once on stderr at first use and still prints its warnings and errors there.
 */
public final class Logs {

    /** Whether the application has an SLF4J binding; decided once, when the first logger is made. */
    private static final boolean BOUND = detectBinding();

    private Logs() {}

    /**
     * @param type the class that logs
     * @return its SLF4J logger, or a logger of warnings and errors to stderr when SLF4J has no binding
     */
    public static Logger get(Class<?> type) {
        return get(type.getName());
    }

    /**
     * @param name a logger name
     * @return its SLF4J logger, or a logger of warnings and errors to stderr when SLF4J has no binding
     */
    public static Logger get(String name) {
        return BOUND ? LoggerFactory.getLogger(name) : new StderrWarnings(name);
    }

    private static boolean detectBinding() {
        boolean bound = !(LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory);
        if (!bound) {
            System.err.println("ParametricProcesses: no SLF4J binding was found, so only the manager's warnings and errors"
                    + " are printed (to stderr); add one (logback-classic or slf4j-simple) to see its logs");
        }
        return bound;
    }

    /** Warnings and errors as one stderr line each; everything below WARN is dropped. */
    static final class StderrWarnings extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;

        StderrWarnings(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                                   Throwable throwable) {
            String text = MessageFormatter.basicArrayFormat(messagePattern, arguments);
            System.err.println(level + " " + name + " - " + text + (throwable != null ? " (" + throwable + ")" : ""));
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
