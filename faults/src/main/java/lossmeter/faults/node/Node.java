package lossmeter.faults.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A machine a target runs on, reduced to what a trial does to it: run short commands, start
 * long-running processes each in its own session, signal their process groups, and handle files.
 * Paths are POSIX paths on the node, so a node reached over SSH or a container can implement this
 * with the same meaning as {@link LocalNode}. Every process started through a node is stopped by
 * its own group id when the node closes, never by name.
 */
public interface Node extends Leftovers, AutoCloseable {
    /** A short name for logs and reports, e.g. {@code local}. */
    String name();

    /** Runs a command to completion (killed when it outlives the timeout) and returns its exit code and output. */
    CommandResult run(List<String> command, Duration timeout);

    /**
     * Starts a long-running process in a new session and process group, so that signalling the
     * group reaches every process it forks. Output (stdout and stderr) is appended to {@code log};
     * stdin is empty. {@code cwd} null means the node's default working directory.
     */
    NodeProcess start(List<String> command, Path cwd, Map<String, String> env, Path log);

    /** Sends a signal to the whole process group; a group that is already gone is not an error. */
    void signal(NodeProcess process, Signal signal);

    /** True while any process of the group is alive (zombies do not count). */
    boolean alive(NodeProcess process);

    /**
     * Records that the group is gone for good, so closing the node does not signal an id the
     * kernel may since have reused.
     */
    void forget(NodeProcess process);

    // Files. Directory operations are recursive where that is the only sensible meaning.

    boolean exists(Path path);

    byte[] read(Path file);

    /** Replaces the file's content (creating parent directories). */
    void write(Path file, byte[] content);

    /** Cuts a file to {@code size} bytes, as a torn write or a damaged disk would. */
    void truncate(Path file, long size);

    long size(Path file);

    /** Copies a file, or a directory with everything under it, to a path that does not exist yet. */
    void copy(Path from, Path to);

    /** The entries of a directory (files and directories, not recursive), sorted by name. */
    List<Path> list(Path dir);

    void mkdirs(Path dir);

    /** Deletes a file or a directory with everything under it; a missing path is not an error. */
    void delete(Path path);

    /** Mounts a filesystem (e.g. a tmpfs of fixed size for disk-full faults). */
    void mount(String type, String source, Path mountpoint, String options);

    /** Unmounts a filesystem, FUSE ones included. */
    void unmount(Path mountpoint);

    /**
     * Declares, before the process that will mount it starts, that a filesystem will be mounted at
     * {@code mountpoint} (a FUSE process started through this node): the node's ledger records it,
     * so a sweep after a killed harness detaches it. Closing the handle (or closing the node, or
     * SIGINT) detaches it lazily and fails when it is still mounted after that.
     */
    default Cleanup unmountAtExit(Path mountpoint) {
        return atExit("unmount " + mountpoint, () -> unmount(mountpoint));
    }

    /**
     * A new empty directory for a run's scratch files, recorded in the node's ledger before it is
     * made; deleted when the node closes, and by a sweep when the harness was killed.
     */
    Path tempDir(String prefix);

    /**
     * Registers an action to run once when the node closes or the JVM exits (also on SIGINT),
     * after every process group the node started has been killed; {@code what} names it in errors.
     * Close the returned handle to run it earlier (and only then).
     */
    Cleanup atExit(String what, Runnable action);

    /** Kills every process group this node started and has not forgotten, then runs its cleanups. */
    @Override
    void close();
}
