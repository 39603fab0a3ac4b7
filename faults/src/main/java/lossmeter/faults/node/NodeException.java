package lossmeter.faults.node;

/**
 * A node could not do what it was asked (a command would not start, a file would not copy): an
 * infrastructure failure, never a verdict about the target.
 */
public class NodeException extends RuntimeException {
    public NodeException(String message) {
        super(message);
    }

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
