package lossmeter.harness.target;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.Node;

/**
 * An optional ability of a target: a repair tool for its append-only log (the server's own
 * {@code check-aof --fix}), run by {@code --repair} when the target refuses to start after damage.
 */
public interface Repairable {
    /** Runs the repair tool over the data dir's log, answering its confirmation; the result says what it did. */
    CommandResult repair(Node node, Launch launch);
}
