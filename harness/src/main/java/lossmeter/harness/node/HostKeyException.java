package lossmeter.harness.node;

import lossmeter.faults.node.NodeException;

/**
 * A remote node's host key is not the one on record: unknown (and new keys are not accepted) or
 * changed. Never retried; the run is refused as a usage error (exit 2) with what to do.
 */
public final class HostKeyException extends NodeException {
    public HostKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
