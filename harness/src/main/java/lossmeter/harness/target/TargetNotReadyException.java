package lossmeter.harness.target;

/**
 * A started target did not answer PING in time, or exited first. The message quotes the tail of
 * its log, which is usually the reason.
 */
public final class TargetNotReadyException extends RuntimeException {
    private final String logTail;

    public TargetNotReadyException(String message, String logTail, Throwable cause) {
        super(message + (logTail.isBlank() ? " (its log is empty)" : "; last lines of its log:\n" + logTail.stripTrailing()), cause);
        this.logTail = logTail;
    }

    public String logTail() {
        return logTail;
    }
}
