package lossmeter.faults.node;

import java.nio.file.Path;

/** A node that can mount filesystems: a tmpfs of fixed size for a full disk, lossyfs over a data dir. */
public interface Mounting {
    /** Mounts a filesystem (e.g. {@code tmpfs} with {@code size=4m}). */
    void mount(String type, String source, Path mountpoint, String options);

    /** The {@code mount} command line for {@link #mount}, the same on every node that runs it as a command. */
    static java.util.List<String> command(String type, String source, Path mountpoint, String options) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("mount", "-t", type));
        if (options != null && !options.isEmpty()) cmd.addAll(java.util.List.of("-o", options));
        cmd.addAll(java.util.List.of(source, mountpoint.toString()));
        return cmd;
    }

    /** Unmounts a filesystem, FUSE ones included. */
    void unmount(Path mountpoint);

    /** True when a filesystem is mounted exactly at {@code mountpoint} (per the node's mount table). */
    boolean mounted(Path mountpoint);

    /**
     * Declares, before the process that will mount it starts, that a filesystem will be mounted at
     * {@code mountpoint} (a FUSE process started through the node): the node's ledger records it,
     * so a sweep after a killed harness detaches it. Closing the handle (or the node, or SIGINT)
     * detaches it lazily and fails when it is still mounted after that.
     */
    Cleanup unmountAtExit(Path mountpoint);
}
