package lossmeter.harness.node.ssh;

import lossmeter.faults.node.Node;
import lossmeter.harness.node.NodeSpec;

/** An SSH node as a campaign holds it: its address and the login options; {@link #open} connects. */
public record SshNodeSpec(SshAddress address, SshOptions options) implements NodeSpec {
    @Override
    public String name() {
        return address.toString();
    }

    @Override
    public String kind() {
        return "ssh";
    }

    @Override
    public java.util.List<String> flags() {
        java.util.List<String> f = new java.util.ArrayList<>(java.util.List.of("--nodes", name()));
        f.addAll(options.flags());
        return f;
    }

    @Override
    public Node open() {
        return SshNode.connect(address, options);
    }
}
