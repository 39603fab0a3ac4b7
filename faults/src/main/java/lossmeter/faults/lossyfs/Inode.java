package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.time.Instant;

/**
 * One file or directory as lossyfs sees it: its synced content, its unsynced changes, and the
 * names it has in the live view and in the durable image. Guarded by the model's lock.
 */
final class Inode {
    final long id;
    final boolean directory;
    /** Path in the durable image (the backing directory), or null while it has no durable name. */
    String durablePath;
    /** Path in the live view, or null once unlinked (it may still be open). */
    String livePath;
    /** Synced bytes (files only): a BackingContent exactly when durablePath is set. */
    Content content;
    final DirtyLog log = new DirtyLog();
    long liveSize;
    int mode;
    int durableMode;
    int openCount;
    Instant atime;
    Instant mtime;
    Instant ctime;

    Inode(long id, boolean directory, int mode, Content content) {
        this.id = id;
        this.directory = directory;
        this.mode = mode;
        this.durableMode = mode;
        this.content = content;
        this.atime = this.mtime = this.ctime = Instant.now();
    }

    boolean inUse() {
        return livePath != null || openCount > 0;
    }

    /** Reads the live view (synced bytes overlaid with unsynced changes); returns the byte count. */
    int readLive(long offset, byte[] dst, int len) throws IOException {
        if (offset >= liveSize) return 0;
        int n = (int) Math.min(len, liveSize - offset);
        content.read(offset, dst, 0, n);
        log.overlay(offset, dst, n);
        return n;
    }

    /** Forgets the unsynced changes: the live view falls back to the synced bytes. */
    void discardUnsynced() throws IOException {
        log.clear();
        liveSize = directory ? 0 : content.size();
    }

    String displayPath() {
        if (livePath != null) return livePath;
        if (durablePath != null) return durablePath;
        return "(unlinked#" + id + ")";
    }
}
