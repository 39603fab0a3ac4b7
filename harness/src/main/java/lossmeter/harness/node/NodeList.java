package lossmeter.harness.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.harness.node.container.Containers;
import lossmeter.harness.node.ssh.SshAddress;
import lossmeter.harness.node.ssh.SshNodeSpec;
import lossmeter.harness.node.ssh.SshOptions;

/** A list of nodes as {@code --nodes} and the Java API take it. */
public final class NodeList {
    private NodeList() {
    }

    /** {@code local} and {@code ssh://…} items, comma-separated, or one per line of a file with {@code #} comments. */
    public static List<NodeSpec> parse(String arg, SshOptions options) {
        return parse(arg, options, null);
    }

    /**
     * Also {@code container} or {@code container:N} (N slots, a fresh container per trial), from
     * lossmeter's node image or, given {@code image}, from that image.
     */
    public static List<NodeSpec> parse(String arg, SshOptions options, String image) {
        List<String> items = new ArrayList<>();
        Path file = arg.contains("://") || arg.equals("local") || Containers.count(arg.split(",")[0].trim()) != null ? null : Path.of(arg);
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--nodes " + arg + ": neither a node list (local, ssh://user@host[:port], container[:N])"
                        + " nor a file");
            }
            try {
                for (String line : Files.readAllLines(file)) {
                    int hash = line.indexOf('#');
                    String item = (hash < 0 ? line : line.substring(0, hash)).trim();
                    if (!item.isEmpty()) items.add(item);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--nodes " + arg + ": cannot read it: " + e.getMessage());
            }
        } else {
            for (String s : arg.split(",")) if (!s.isBlank()) items.add(s.trim());
        }
        if (items.isEmpty()) throw new IllegalArgumentException("--nodes " + arg + " names no node");
        List<NodeSpec> out = new ArrayList<>();
        boolean containers = false;
        for (String item : items) {
            Integer n = Containers.count(item);
            if (n != null) {
                if (containers) throw new IllegalArgumentException("--nodes names containers twice; use container:N for N at once");
                containers = true;
                out.addAll(new Containers(n, image).specs());
            }
            else if (item.equals("local")) out.add(NodeSpec.local());
            else if (item.startsWith("ssh://")) {
                if (!Files.isRegularFile(options.key())) {
                    throw new IllegalArgumentException("no SSH key at " + options.key() + " for " + item + " (give one with --ssh-key)");
                }
                out.add(new SshNodeSpec(SshAddress.parse(item), options));
            }
            else throw new IllegalArgumentException("--nodes: unknown node '" + item + "' (expected local, ssh://user@host[:port] or"
                    + " container[:N])");
        }
        if (image != null && !containers) throw new IllegalArgumentException("--image " + image + " is for container nodes (--nodes container[:N])");
        return out;
    }
}
