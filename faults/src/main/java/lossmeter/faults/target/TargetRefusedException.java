package lossmeter.faults.target;

/** The target answered a fault's command with an error reply, e.g. a server without BGSAVE. */
public final class TargetRefusedException extends RuntimeException {
    private final String reply;

    public TargetRefusedException(String command, String reply) {
        super("the target answered " + command + " with an error: " + reply);
        this.reply = reply;
    }

    /** The server's error text, e.g. {@code ERR Background save already in progress}. */
    public String reply() {
        return reply;
    }
}
