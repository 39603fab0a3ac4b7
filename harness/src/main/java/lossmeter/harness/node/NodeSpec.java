package lossmeter.harness.node;

import lossmeter.faults.node.Node;

/**
 * How to reach a node, as a campaign holds it: the campaign opens each of its nodes when it starts
 * and closes them at the end, so a spec is cheap and holds no connection.
 */
public interface NodeSpec {
    /** The node's name in logs, reports and {@code results.json}: {@code local}, {@code ssh://root@10.0.0.5:22}. */
    String name();

    /** Connects to the node (a {@link lossmeter.faults.node.NodeException} when it cannot). */
    Node open();

    /** This machine. */
    static NodeSpec local() {
        return Local.INSTANCE;
    }

    /** The local node's spec. */
    final class Local implements NodeSpec {
        static final Local INSTANCE = new Local();

        private Local() {
        }

        @Override
        public String name() {
            return "local";
        }

        @Override
        public Node open() {
            return new LocalNode();
        }
    }
}
