package lossmeter.faults.node;

/**
 * The node could not be reached (its SSH transport failed, and a bounded number of fresh sessions
 * failed too): the trial that needed it proves nothing, and the node leaves the campaign.
 */
public final class NodeUnreachableException extends NodeException {
    public NodeUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
