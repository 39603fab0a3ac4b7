package lossmeter.harness.node.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.Shell;
import lossmeter.harness.node.RemoteJars;

/** An SSH node's JVM: a JDK 25 found on the node the way the launcher finds one, running lossmeter's jars copied there. */
final class SshJava implements JavaRuntime {
    private final SshNode node;
    private final SshSession ssh;
    private final RemoteJars jars;
    private String javaHome;

    SshJava(SshNode node, SshSession ssh, RemoteJars jars) {
        this.node = node;
        this.ssh = ssh;
        this.jars = jars;
    }


    @Override
    public List<String> java(List<Path> classpath) {
        String home = javaHome();
        List<Path> remote = jars.onNode(classpath);
        return List.of(home + "/bin/java", "-cp", String.join(":", remote.stream().map(Path::toString).toList()));
    }

    /** The node's JDK 25 or newer, found the way the launcher finds one (once per node). */
    public synchronized String javaHome() {
        if (javaHome != null) return javaHome;
        CommandResult r = ssh.exec("find a JDK", "bash -c " + Shell.quote(RemoteScripts.findJdk()), Duration.ofMinutes(1));
        String found = r.output().lines().filter(l -> l.startsWith("JAVA_HOME=")).map(l -> l.substring("JAVA_HOME=".length()))
                .findFirst().orElse(null);
        if (!r.ok() || found == null) {
            throw new NodeException("node " + node.name() + " has no JDK 25 or newer (install one, e.g. a Temurin 25 package, or set"
                    + " LOSSMETER_JAVA_HOME in the node user's environment):\n" + r.output().strip());
        }
        javaHome = found;
        return found;
    }

    /** A store on an SSH node: listed and written through SFTP, renamed into place by a command; {@code tag} names the temporary files. */
    static RemoteJars.Store store(SshFiles files, SshSession ssh, String tag) {
        return new RemoteJars.Store() {
            @Override
            public Set<String> present(Path dir) {
                if (!files.exists(dir)) return new HashSet<>();
                Set<String> names = new HashSet<>();
                for (Path p : files.list(dir)) names.add(p.getFileName().toString());
                return names;
            }

            @Override
            public void upload(Path local, Path to) {
                try {
                    byte[] content = java.nio.file.Files.readAllBytes(local);
                    Path tmp = to.resolveSibling(to.getFileName() + "." + tag + ".part");
                    files.write(tmp, content);
                    CommandResult r = ssh.exec("install " + to.getFileName(), "mv -f -- " + Shell.quote(tmp.toString()) + " "
                            + Shell.quote(to.toString()), java.time.Duration.ofSeconds(60));
                    if (!r.ok()) throw new NodeException("cannot install " + to + " on " + ssh.address() + ": " + r.output().strip());
                } catch (IOException e) {
                    throw new NodeException("cannot read " + local + ": " + e.getMessage(), e);
                }
            }
        };
    }

}
