package io.leaseflow.testing.logs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures every log record of this JVM (a {@code @QuarkusTest} app logs through the same JBoss LogManager) while
 * open, with the given categories lowered to DEBUG so that debug lines are scanned too; then tells which of a set
 * of secret values appear anywhere in the captured text (messages, parameters, exceptions and their causes).
 */
public final class LogCapture implements AutoCloseable {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger root = Logger.getLogger("");
    private final List<Logger> lowered = new ArrayList<>();
    private final List<Level> previous = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(render(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture(String... debugCategories) {
        handler.setLevel(Level.ALL);
        for (String category : debugCategories) {
            Logger logger = Logger.getLogger(category);
            lowered.add(logger);
            previous.add(logger.getLevel());
            logger.setLevel(Level.FINE);
        }
        root.addHandler(handler);
    }

    /** Lines captured so far. */
    public int size() {
        return lines.size();
    }

    /**
     * Captured lines containing any of the values (blank values ignored), each with the value it contains. Values
     * shorter than {@value #WORD_LIKE} characters (test passwords such as {@code secret} or {@code leaseflow} are
     * also ordinary words and logger names) count only as a whole token, not inside {@code io.leaseflow.x}.
     */
    public List<String> leaks(Collection<String> secrets) {
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            if (secret == null || secret.isBlank()) {
                continue;
            }
            java.util.function.Predicate<String> contains = secret.length() >= WORD_LIKE ? line -> line.contains(secret)
                    : java.util.regex.Pattern.compile("(?<![\\w.-])" + java.util.regex.Pattern.quote(secret)
                            + "(?![\\w.-])").asPredicate();
            for (String line : lines) {
                if (contains.test(line)) {
                    found.add("[" + mask(secret) + "] " + line);
                }
            }
        }
        return found;
    }

    private static final int WORD_LIKE = 12;

    /** The whole captured text, for assertions that a line was logged at all. */
    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        for (int i = 0; i < lowered.size(); i++) {
            lowered.get(i).setLevel(previous.get(i));
        }
    }

    private static String render(LogRecord record) {
        StringBuilder text = new StringBuilder();
        text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ");
        String message = record.getMessage();
        try {
            // JBoss LogManager's records format themselves (printf or MessageFormat style).
            message = (String) record.getClass().getMethod("getFormattedMessage").invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a plain JUL record: message plus parameters below
        }
        text.append(message);
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                text.append(" | ").append(parameter);
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        return text.toString();
    }

    private static String mask(String secret) {
        return secret.length() <= 6 ? "***" : secret.substring(0, 3) + "***";
    }
}
