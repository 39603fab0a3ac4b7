package lossmeter.server.command;

/**
 * An error reply raised from inside a command; the dispatcher turns it into {@code -ERR …} (or the
 * code the text starts with). Thrown before the command changes anything.
 */
public final class CommandError extends RuntimeException {
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "value is not an integer or out of range";
    public static final String SYNTAX = "syntax error";
    public static final String OVERFLOW = "increment or decrement would overflow";

    public CommandError(String message) {
        super(message, null, false, false);
    }
}
