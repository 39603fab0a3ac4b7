package lossmeter.harness.node.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the harness logs in to SSH nodes: the private key ({@code --ssh-key}), the known-hosts file
 * host keys are checked against ({@code --ssh-known-hosts}), whether a host missing from it is
 * accepted and added ({@code --ssh-accept-new-host-keys}; a changed key is never accepted), and the
 * dir on the nodes for lossmeter's files ({@code --ssh-work-dir}).
 */
public record SshOptions(Path key, Path knownHosts, boolean acceptNewHostKeys, Duration connectTimeout, Path workDir) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public SshOptions {
        if (key == null) key = defaultKey();
        if (knownHosts == null) knownHosts = home().resolve(".ssh/known_hosts");
        if (connectTimeout == null) connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        if (workDir != null && !workDir.isAbsolute()) throw new IllegalArgumentException("--ssh-work-dir must be an absolute path on the nodes, not " + workDir);
    }

    public SshOptions(Path key, Path knownHosts, boolean acceptNewHostKeys, Duration connectTimeout) {
        this(key, knownHosts, acceptNewHostKeys, connectTimeout, null);
    }

    public static SshOptions defaults() {
        return new SshOptions(null, null, false, null, null);
    }

    /** Where a node keeps lossmeter's jars and its runs: {@code --ssh-work-dir}, else {@code /var/tmp/lossmeter-<user>}. */
    public Path workDir(String user) {
        return workDir != null ? workDir : Path.of("/var/tmp", "lossmeter-" + user);
    }

    /** The command-line flags that give these options, leaving out the defaults. */
    public List<String> flags() {
        List<String> out = new java.util.ArrayList<>();
        if (!key.equals(defaultKey())) out.addAll(List.of("--ssh-key", key.toString()));
        if (!knownHosts.equals(home().resolve(".ssh/known_hosts"))) out.addAll(List.of("--ssh-known-hosts", knownHosts.toString()));
        if (acceptNewHostKeys) out.add("--ssh-accept-new-host-keys");
        if (workDir != null) out.addAll(List.of("--ssh-work-dir", workDir.toString()));
        return out;
    }

    /** {@code ~/.ssh/id_ed25519}, else {@code ~/.ssh/id_rsa} (the first that exists; the first when neither does). */
    static Path defaultKey() {
        List<Path> keys = List.of(home().resolve(".ssh/id_ed25519"), home().resolve(".ssh/id_rsa"));
        return keys.stream().filter(Files::isRegularFile).findFirst().orElse(keys.getFirst());
    }

    private static Path home() {
        return Path.of(System.getProperty("user.home"));
    }
}
