package lossmeter.faults.node;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of a node, by POSIX path on that node. Directory operations are recursive where that
 * is the only sensible meaning. Every failure is a {@link NodeException}.
 */
public interface NodeFiles {
    boolean exists(Path path);

    byte[] read(Path file);

    /** Replaces the file's content (creating parent directories). */
    void write(Path file, byte[] content);

    /** Cuts a file to {@code size} bytes, as a torn write or a damaged disk would. */
    void truncate(Path file, long size);

    long size(Path file);

    /** Copies a file, or a directory with everything under it, to a path on the node that does not exist yet. */
    void copy(Path from, Path to);

    /** The entries of a directory (files and directories, not recursive), sorted by name. */
    List<Path> list(Path dir);

    void mkdirs(Path dir);

    /** Deletes a file or a directory with everything under it; a missing path is not an error. */
    void delete(Path path);

    /**
     * Copies a file or directory of the node to {@code local}, a path on the harness's machine that
     * does not exist yet. A node whose paths are the harness's own does nothing when both are equal.
     */
    void fetch(Path onNode, Path local);
}
