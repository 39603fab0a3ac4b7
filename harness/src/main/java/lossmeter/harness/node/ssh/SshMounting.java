package lossmeter.harness.node.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import lossmeter.faults.lossyfs.Mounts;
import lossmeter.faults.node.Cleanup;
import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.Mounting;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.Shell;

/** Mounts on an SSH node: {@code mount}/{@code umount} over the session, the node's own mount table, ledger entries under the run dir. */
final class SshMounting implements Mounting {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private final SshNode node;

    SshMounting(SshNode node) {
        this.node = node;
    }


    @Override
    public void mount(String type, String source, Path mountpoint, String options) {
        List<String> cmd = Mounting.command(type, source, mountpoint, options);
        CommandResult r = node.run(cmd, SHORT);
        if (!r.ok()) throw new NodeException(String.join(" ", cmd) + " on " + node.name() + " failed (" + r.exitCode() + "): " + r.output().strip());
    }

    @Override
    public void unmount(Path mountpoint) {
        String mp = Shell.quote(mountpoint.toString());
        CommandResult r = node.run(List.of("sh", "-c", "umount -- " + mp + " 2>&1 || fusermount3 -u -- " + mp), SHORT);
        if (!r.ok()) throw new NodeException("umount " + mountpoint + " on " + node.name() + " failed: " + r.output().strip());
    }

    @Override
    public boolean mounted(Path mountpoint) {
        CommandResult r = node.run(List.of("cat", "/proc/self/mountinfo"), SHORT);
        if (!r.ok()) throw new NodeException("cannot read the mount table of " + node.name() + ": " + r.output().strip());
        return Mounts.at(mountpoint, r.output()).isPresent();
    }

    @Override
    public Cleanup unmountAtExit(Path mountpoint) {
        Path entry = node.mountEntry();
        node.files().write(entry, mountpoint.toString().getBytes(StandardCharsets.UTF_8));
        return node.atExit("unmount " + mountpoint, () -> {
            String mp = Shell.quote(mountpoint.toString());
            node.run(List.of("sh", "-c", "umount -l -- " + mp + " 2>/dev/null || fusermount3 -uz -- " + mp + " 2>/dev/null; true"), SHORT);
            if (mounted(mountpoint)) throw new NodeException(mountpoint + " is still mounted");
            node.files().delete(entry);
        });
    }

}
