package lossmeter.harness.node;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.Mounting;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.UnixSockets;

/**
 * How to reach a node, as a campaign holds it: the campaign opens each of its nodes when it starts
 * and closes them at the end, so a spec is cheap and holds no connection. A node kind whose
 * trials each get a node of their own (a fresh container) says so with {@link #perTrial()}; the
 * campaign then opens one per trial and closes it after the trial.
 */
public interface NodeSpec {
    /** What a machine offers beyond the core of every node: lossyfs runs there (local and SSH nodes). */
    Set<Class<?>> MACHINE = Set.of(Mounting.class, JavaRuntime.class, UnixSockets.class);

    /** The node's name in logs, reports and {@code results.json}: {@code local}, {@code ssh://root@10.0.0.5:22}. */
    String name();

    /** Connects to the node (a {@link lossmeter.faults.node.NodeException} when it cannot). */
    Node open();

    /** The kind of node, for messages and the fault table: {@code local}, {@code ssh}, {@code container}. */
    String kind();

    /** The optional node abilities ({@link Mounting}, …) every node of this kind has; faults that need others are refused. */
    default Set<Class<?>> abilities() {
        return MACHINE;
    }

    /** True when each trial gets a node of its own, opened for it and closed after it. */
    default boolean perTrial() {
        return false;
    }

    /** What must exist before the first open (an image to build), said on {@code log}; once per campaign. */
    default void prepare(PrintWriter log) {
    }

    /** Releases what {@link #prepare} made for the campaign; at its end. */
    default void release() {
    }

    /** The {@code run} flags that put a trial on this node again ({@code --nodes …} and its login options). */
    default List<String> flags() {
        return List.of("--nodes", name());
    }

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
        public String kind() {
            return "local";
        }

        @Override
        public List<String> flags() {
            return List.of();
        }

        @Override
        public Node open() {
            return new LocalNode();
        }
    }
}
