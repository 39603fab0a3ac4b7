package lossmeter.faults.lossyfs;

import java.util.Set;

/**
 * A directory-entry or inode-metadata change that is live but not yet durable. Paths are those of
 * the moment the change was made; applying the pending changes in order keeps them right, since
 * the durable namespace after applying the first k changes equals the live one after the k-th.
 */
sealed interface MetaOp {
    /** The directories whose fsync makes this change durable under the strict model. */
    Set<String> dirs();

    record Create(String path, Inode inode) implements MetaOp {
        public Set<String> dirs() {
            return Set.of(Paths.parent(path));
        }
    }

    record Mkdir(String path, Inode inode) implements MetaOp {
        public Set<String> dirs() {
            return Set.of(Paths.parent(path));
        }
    }

    record Unlink(String path) implements MetaOp {
        public Set<String> dirs() {
            return Set.of(Paths.parent(path));
        }
    }

    record Rmdir(String path) implements MetaOp {
        public Set<String> dirs() {
            return Set.of(Paths.parent(path));
        }
    }

    record Rename(String from, String to) implements MetaOp {
        public Set<String> dirs() {
            return Set.copyOf(java.util.List.of(Paths.parent(from), Paths.parent(to))); // one set when both are the same
        }
    }

    /** A size change; also durable when the file itself is fsynced or fdatasynced. */
    record Truncate(String path, Inode inode, long size) implements MetaOp {
        public Set<String> dirs() {
            return Set.of(Paths.parent(path));
        }
    }

    /** A mode change; also durable when the file itself is fsynced (not fdatasynced). */
    record Chmod(String path, Inode inode, int mode) implements MetaOp {
        public Set<String> dirs() {
            return Set.of(Paths.parent(path));
        }
    }
}
