package lossmeter.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.node.ssh.SshAddress;
import lossmeter.harness.node.ssh.SshNodeSpec;
import lossmeter.harness.node.ssh.SshOptions;
import picocli.CommandLine.Option;

/** Where trials run ({@code --nodes}) and how the harness logs in to SSH nodes: the options {@code run} and {@code nodes check} share. */
final class NodeOptions {
    @Option(names = "--nodes", paramLabel = "LIST|FILE",
            description = "where trials run: local (default), or ssh://user@host[:port] nodes, comma-separated or one per line of a FILE (# comments)")
    String nodes;
    @Option(names = "--ssh-key", paramLabel = "FILE", description = "private key for SSH nodes (default: ~/.ssh/id_ed25519, else ~/.ssh/id_rsa)")
    Path sshKey;
    @Option(names = "--ssh-known-hosts", paramLabel = "FILE", description = "host keys SSH nodes must present (default: ~/.ssh/known_hosts)")
    Path knownHosts;
    @Option(names = "--ssh-accept-new-host-keys",
            description = "add the host key of an SSH node that the known-hosts file lacks (a changed key is refused all the same)")
    boolean acceptNew;
    @Option(names = "--ssh-work-dir", paramLabel = "DIR", description = "dir on SSH nodes for lossmeter's jars and runs (default: /var/tmp/lossmeter-<user>)")
    Path workDir;

    SshOptions ssh() {
        return new SshOptions(sshKey, knownHosts, acceptNew, null, workDir);
    }

    /** The nodes named, checked; this machine when none are. */
    List<NodeSpec> specs() {
        if (nodes == null) return List.of(NodeSpec.local());
        return parse(nodes, ssh());
    }

    /** {@code local} and {@code ssh://…} items, comma-separated, or one per line of a file with {@code #} comments. */
    static List<NodeSpec> parse(String arg, SshOptions options) {
        List<String> items = new ArrayList<>();
        Path file = arg.contains("://") || arg.equals("local") ? null : Path.of(arg);
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--nodes " + arg + ": neither a node list (local, ssh://user@host[:port]) nor a file");
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
        for (String item : items) {
            if (item.equals("local")) out.add(NodeSpec.local());
            else if (item.startsWith("ssh://")) out.add(new SshNodeSpec(SshAddress.parse(item), options));
            else throw new IllegalArgumentException("--nodes: unknown node '" + item + "' (expected local or ssh://user@host[:port])");
        }
        return out;
    }
}
