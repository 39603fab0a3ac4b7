package lossmeter.harness.cli;

import java.nio.file.Path;
import java.util.List;

import lossmeter.harness.node.NodeList;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.node.ssh.SshOptions;
import picocli.CommandLine.Option;

/** Where trials run ({@code --nodes}) and how the harness logs in to SSH nodes: the options {@code run} and {@code nodes check} share. */
final class NodeOptions {
    @Option(names = "--nodes", paramLabel = "LIST|FILE",
            description = "where trials run: local (default); ssh://user@host[:port] nodes, comma-separated or one per line of a FILE"
                    + " (# comments); or container[:N]: each trial in a fresh container, N at once")
    String nodes;
    @Option(names = "--image", paramLabel = "IMAGE",
            description = "with --nodes container: run the target in this image (it must be on the Docker daemon; nothing is pulled)")
    String image;
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
        if (nodes == null) {
            if (image != null) throw new IllegalArgumentException("--image is for container nodes (--nodes container[:N])");
            return List.of(NodeSpec.local());
        }
        return NodeList.parse(nodes, ssh(), image);
    }
}
