package lossmeter.harness.run;

import java.util.List;

import lossmeter.harness.node.NodeSpec;

/**
 * Where a campaign's trials run: its nodes, and how many trials run at once on each
 * ({@code --parallel}). A campaign runs up to {@code nodes × parallel} trials at once; which trial
 * lands on which node changes nothing else about it (its seed comes from its name).
 */
public record Fleet(List<NodeSpec> nodes, int parallel) {
    public static final int MAX_PARALLEL = 64;

    public Fleet {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) throw new IllegalArgumentException("--nodes names no node");
        if (nodes.stream().map(NodeSpec::name).distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("--nodes names a node twice: " + nodes.stream().map(NodeSpec::name).toList());
        }
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException("--parallel must be from 1 to " + MAX_PARALLEL + ", not " + parallel);
        }
    }

    /** This machine, one trial at a time. */
    public static Fleet local() {
        return new Fleet(List.of(NodeSpec.local()), 1);
    }

    /** Trials that run at once. */
    public int slots() {
        return nodes.size() * parallel;
    }

    /** True when every trial runs on this machine. */
    public boolean isLocal() {
        return nodes.size() == 1 && nodes.getFirst() instanceof NodeSpec.Local;
    }
}
