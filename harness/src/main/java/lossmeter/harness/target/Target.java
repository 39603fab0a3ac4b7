package lossmeter.harness.target;

import lossmeter.faults.node.Node;
import lossmeter.faults.target.RunningTarget;

/**
 * A Redis-protocol server plus how to start it on a node for a policy and a data dir. Starting
 * does not wait: the returned {@link RunningTarget} says when it is ready and how to stop it.
 */
public interface Target {
    /** The spec as a user writes it on the command line: {@code bundled}, {@code redis:/path}, {@code cmd:…}. */
    String spec();

    /** Fails with a {@link TargetConfigException} when the target cannot start on this node (missing binary, bad template). */
    void validate(Node node);

    /** Starts one instance on a free loopback port, in its own process group. */
    RunningTarget start(Node node, Launch launch);
}
