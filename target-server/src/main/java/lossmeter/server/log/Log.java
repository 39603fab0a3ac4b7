package lossmeter.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;

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

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private final PrintStream out;
    private final long pid = ProcessHandle.current().pid();
    private volatile Level min = Level.NOTICE;

    private Log(PrintStream out) {
        this.out = out;
    }

    /** Standard output (through System.out, so a test runner that captures it sees the lines). */
    public static Log toStdout() {
        return new Log(System.out);
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

    // Hand-formatted: a DateTimeFormatter with month names costs ~70 ms of locale loading at start.
    static String timestamp(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(24);
        two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ').append(t.getYear()).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append('.');
        int ms = t.getNano() / 1_000_000;
        if (ms < 100) sb.append('0');
        if (ms < 10) sb.append('0');
        return sb.append(ms).toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        if (v < 10) sb.append('0');
        return sb.append(v);
    }

    public synchronized void log(Level level, String msg) {
        Level m = min;
        if (m == null || level.ordinal() < m.ordinal()) return;
        out.print(pid + ":M " + timestamp(LocalDateTime.now()) + " " + level.mark + " " + msg + "\n");
        out.flush();
    }
}
