package lossmeter.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log, in Redis's line format ({@code pid:M dd Mon yyyy HH:mm:ss.SSS * message}) so that
 * tools reading Redis logs read ours. Every line is flushed at once: the log must survive a crash
 * up to the line written just before it.
 */
public final class Log {
    public enum Level {
        DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');

        final char mark;

        Level(char mark) {
            this.mark = mark;
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);
    private final PrintStream out;
    private final long pid = ProcessHandle.current().pid();
    private volatile Level min = Level.NOTICE;

    private Log(PrintStream out) {
        this.out = out;
    }

    public static Log toStdout() {
        return new Log(new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8));
    }

    public static Log toFile(String path) throws IOException {
        OutputStream os = new FileOutputStream(path, true);
        return new Log(new PrintStream(os, true, StandardCharsets.UTF_8));
    }

    public void level(String name) {
        min = switch (name) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.VERBOSE;
            case "warning" -> Level.WARNING;
            case "nothing" -> null;
            default -> Level.NOTICE;
        };
    }

    public void debug(String msg) {
        log(Level.DEBUG, msg);
    }

    public void verbose(String msg) {
        log(Level.VERBOSE, msg);
    }

    public void notice(String msg) {
        log(Level.NOTICE, msg);
    }

    public void warning(String msg) {
        log(Level.WARNING, msg);
    }

    public synchronized void log(Level level, String msg) {
        Level m = min;
        if (m == null || level.ordinal() < m.ordinal()) return;
        out.print(pid + ":M " + TIME.format(LocalDateTime.now()) + " " + level.mark + " " + msg + "\n");
        out.flush();
    }
}
