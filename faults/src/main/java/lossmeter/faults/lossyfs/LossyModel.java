package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The lossyfs filesystem without FUSE: file operations that keep written data unsynced until an
 * fsync, and the faults (power loss, torn writes, ENOSPC, fsync EIO) applied to that state. The
 * backing directory always holds exactly the durable state. One lock serialises every file
 * operation and every fault command, so a command never sees half an operation.
 */
final class LossyModel {
    static final long UNLIMITED = Long.MAX_VALUE;

    private final Namespace names;
    private final MetadataMode metadata;
    private final int sectorSize;
    private final Map<Long, Inode> handles = new HashMap<>();
    /** Files with unsynced changes, in the order they first became dirty. */
    private final LinkedHashSet<Inode> dirty = new LinkedHashSet<>();
    private long nextHandle = 1;
    private long seq;
    private long spaceLeft = UNLIMITED;
    private FsyncEio fsyncEio = FsyncEio.OFF;
    /** Errors the faults made the target see, so a fault can tell whether its condition was hit. */
    private long enospcErrors;
    private long eioErrors;

    LossyModel(Path backing, MetadataMode metadata, int sectorSize) throws IOException {
        if (sectorSize <= 0) throw new IllegalArgumentException("sector size must be positive: " + sectorSize);
        this.names = new Namespace(backing);
        this.metadata = metadata;
        this.sectorSize = sectorSize;
    }

    MetadataMode metadata() {
        return metadata;
    }

    int sectorSize() {
        return sectorSize;
    }

    // ---- file operations ------------------------------------------------------------------------

    synchronized Attrs getattr(String path) throws FsException {
        return attrs(names.lookup(path));
    }

    synchronized Attrs getattr(long fh) throws FsException {
        return attrs(handle(fh));
    }

    synchronized List<String> readdir(String path) throws FsException {
        if (!names.lookup(path).directory) throw new FsException(FsException.ENOTDIR, path);
        return names.children(path);
    }

    synchronized long open(String path, boolean truncate) throws FsException {
        Inode inode = names.lookup(path);
        if (inode.directory) throw new FsException(FsException.EISDIR, path);
        if (truncate && inode.liveSize != 0) resize(inode, 0);
        return newHandle(inode);
    }

    synchronized long create(String path, int mode) throws FsException {
        if (spaceLeft == 0) throw enospc(path);
        return newHandle(names.create(path, mode & 07777));
    }

    synchronized void release(long fh) {
        Inode inode = handles.remove(fh);
        if (inode == null) return;
        inode.openCount--;
        forgetIfGone(inode);
    }

    synchronized int read(long fh, long offset, ByteBuffer dst, int size) throws FsException {
        Inode inode = handle(fh);
        byte[] buf = new byte[(int) Math.max(0, Math.min(size, inode.liveSize - offset))];
        try {
            int n = inode.readLive(offset, buf, buf.length);
            dst.put(0, buf, 0, n);
            inode.atime = Instant.now();
            return n;
        } catch (IOException e) {
            throw new FsException(FsException.EIO, e.toString());
        }
    }

    synchronized int write(long fh, long offset, ByteBuffer src, int size) throws FsException {
        Inode inode = handle(fh);
        if (spaceLeft == 0) throw enospc(inode.displayPath());
        // A write that does not fit is short, as on a full disk; the next one gets ENOSPC.
        int n = (int) Math.min(size, spaceLeft);
        if (spaceLeft != UNLIMITED) spaceLeft -= n;
        byte[] data = new byte[n];
        src.get(0, data);
        inode.log.write(++seq, offset, data, System.nanoTime());
        inode.liveSize = Math.max(inode.liveSize, offset + n);
        inode.mtime = Instant.now();
        dirty.add(inode);
        return n;
    }

    synchronized void truncate(String path, long size) throws FsException {
        truncate(names.lookup(path), size);
    }

    synchronized void truncate(long fh, long size) throws FsException {
        truncate(handle(fh), size);
    }

    private void truncate(Inode inode, long size) throws FsException {
        if (inode.directory) throw new FsException(FsException.EISDIR, inode.displayPath());
        if (size < 0) throw new FsException(FsException.EINVAL, "negative size");
        resize(inode, size);
    }

    private void resize(Inode inode, long size) {
        inode.log.resize(++seq, size, System.nanoTime());
        inode.liveSize = size;
        inode.mtime = inode.ctime = Instant.now();
        names.recordTruncate(inode, size);
        dirty.add(inode);
    }

    /** fsync (data, size and mode) or fdatasync (data and size) of an open file. */
    void fsync(long fh, boolean datasync) throws FsException {
        Content synced;
        synchronized (this) {
            Inode inode = handle(fh);
            failIfEio(inode);
            try {
                persist(inode, !datasync);
                if (metadata == MetadataMode.ORDERED) names.applyAll();
            } catch (IOException e) {
                throw new FsException(FsException.EIO, e.toString());
            }
            synced = inode.content;
        }
        // Outside the lock: the model's state is already final, and a slow disk flush of the
        // backing image must not stall every other operation (it only makes timings honest).
        try {
            synced.force();
        } catch (ClosedChannelException e) {
            // Unlinked durably meanwhile; nothing of it is left to flush.
        } catch (IOException e) {
            throw new FsException(FsException.EIO, e.toString());
        }
    }

    synchronized void fsyncDir(String path) throws FsException {
        Inode dir = names.lookup(path);
        if (!dir.directory) throw new FsException(FsException.ENOTDIR, path);
        failIfEio(null);
        try {
            if (metadata == MetadataMode.STRICT) names.applyFor(path);
            else names.applyAll();
        } catch (IOException e) {
            throw new FsException(FsException.EIO, e.toString());
        }
    }

    synchronized void mkdir(String path, int mode) throws FsException {
        if (spaceLeft == 0) throw enospc(path);
        names.mkdir(path, mode & 07777);
    }

    synchronized void rmdir(String path) throws FsException {
        names.rmdir(path);
    }

    synchronized void unlink(String path) throws FsException {
        forgetIfGone(names.unlink(path));
    }

    synchronized void rename(String from, String to, int flags) throws FsException {
        Inode replaced = names.find(to);
        names.rename(from, to, flags);
        if (replaced != null && replaced != names.find(to)) forgetIfGone(replaced);
    }

    synchronized void chmod(String path, int mode) throws FsException {
        Inode inode = names.lookup(path);
        inode.mode = mode & 07777;
        inode.ctime = Instant.now();
        names.recordChmod(inode, inode.mode);
    }

    /** Timestamps are live only: lossyfs does not model their durability. */
    synchronized void utimens(String path, Instant atime, Instant mtime) throws FsException {
        Inode inode = names.lookup(path);
        if (atime != null) inode.atime = atime;
        if (mtime != null) inode.mtime = mtime;
    }

    synchronized boolean exists(String path) {
        return names.find(path) != null;
    }

    synchronized boolean spaceExhausted() {
        return spaceLeft == 0;
    }

    // ---- faults and control -----------------------------------------------------------------------

    /** Power loss: every unsynced change and every pending metadata change is gone. */
    synchronized Results.Drop dropUnsynced() {
        long bytes = 0;
        int files = dirty.size();
        for (Inode inode : dirty) {
            bytes += inode.log.writtenBytes();
            try {
                inode.discardUnsynced();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the synced size of " + inode.displayPath(), e);
            }
        }
        dirty.clear();
        int meta = names.dropPending();
        // Files that lost their unsynced state earlier (unlinked while closed) come back with
        // their synced size too.
        for (Inode inode : names.durableFiles().values()) {
            try {
                inode.discardUnsynced();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the synced size of " + inode.displayPath(), e);
            }
        }
        return new Results.Drop(files, bytes, meta);
    }

    /** Power loss that wrote a seeded random subset of the unsynced sectors first. */
    synchronized Results.Torn tornSectors(long seed) throws IOException {
        return tornSectors(seed, true);
    }

    /** As {@link #tornSectors(long)}; unordered, an append may also expose sectors never written (zeros). */
    synchronized Results.Torn tornSectors(long seed, boolean ordered) throws IOException {
        Results.Torn torn = Tearing.sectors(names.durableFiles(), sectorSize, seed, ordered);
        return torn.with(dropUnsynced());
    }

    /** Power loss that wrote a seeded byte-exact prefix of the unsynced writes, in order, first. */
    synchronized Results.Torn tornPrefix(long seed) throws IOException {
        return tornPrefix(seed, 0);
    }

    /** As {@link #tornPrefix(long)}, the cut drawn among the last {@code tail} unsynced bytes (0: all of them). */
    synchronized Results.Torn tornPrefix(long seed, long tail) throws IOException {
        Results.Torn torn = Tearing.prefix(new ArrayList<>(dirty), seed, tail);
        return torn.with(dropUnsynced());
    }

    /** Makes everything durable now, as a sync(2) followed by a journal commit would. */
    synchronized Results.Drop checkpoint() throws IOException {
        long bytes = 0;
        int files = dirty.size();
        for (Inode inode : new ArrayList<>(dirty)) {
            bytes += inode.log.writtenBytes();
            persist(inode, true);
        }
        int meta = names.applyAll();
        return new Results.Drop(files, bytes, meta);
    }

    /** Kernel-style writeback: data and size of files dirty for at least {@code ageNanos}. */
    synchronized int writeback(long ageNanos) throws IOException {
        long now = System.nanoTime();
        int written = 0;
        for (Inode inode : new ArrayList<>(dirty)) {
            if (now - inode.log.dirtySinceNanos() >= ageNanos) {
                persist(inode, false);
                written++;
            }
        }
        return written;
    }

    synchronized Results.Report report() {
        Map<String, Long> files = new LinkedHashMap<>();
        long total = 0;
        for (Inode inode : dirty) {
            files.merge(inode.displayPath(), inode.log.writtenBytes(), Long::sum);
            total += inode.log.writtenBytes();
        }
        return new Results.Report(total, names.pendingCount(), files);
    }

    /** {@code UNLIMITED} turns ENOSPC off, 0 turns it on, anything else is the bytes left. */
    synchronized void setSpaceLeft(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0");
        spaceLeft = bytes;
    }

    synchronized long spaceLeft() {
        return spaceLeft;
    }

    synchronized void setFsyncEio(FsyncEio mode) {
        fsyncEio = mode;
    }

    synchronized FsyncEio fsyncEio() {
        return fsyncEio;
    }

    // ---- internals --------------------------------------------------------------------------------

    private void persist(Inode inode, boolean attributes) throws IOException {
        inode.log.applyTo(inode.content);
        dirty.remove(inode);
        names.persistedInode(inode, attributes);
    }

    private FsException enospc(String path) {
        enospcErrors++;
        return new FsException(FsException.ENOSPC, path);
    }

    /** ENOSPC and EIO errors returned to callers since lossyfs started. */
    synchronized Results.Errors errors() {
        return new Results.Errors(enospcErrors, eioErrors);
    }

    /** Linux reports a failed writeback once and drops the dirty pages: so does lossyfs. */
    private void failIfEio(Inode inode) throws FsException {
        if (fsyncEio == FsyncEio.OFF) return;
        eioErrors++;
        if (fsyncEio == FsyncEio.ONCE) fsyncEio = FsyncEio.OFF;
        if (inode != null) {
            try {
                inode.discardUnsynced();
            } catch (IOException e) {
                // The EIO below is the answer either way.
            }
            dirty.remove(inode);
        }
        throw new FsException(FsException.EIO, "fsync-eio is set");
    }

    /** An unlinked file nobody has open can never be read again: its unsynced bytes are dropped. */
    private void forgetIfGone(Inode inode) {
        if (!inode.inUse()) {
            try {
                inode.discardUnsynced();
            } catch (IOException e) {
                inode.log.clear(); // the size is re-read at the next power loss anyway
            }
            dirty.remove(inode);
        }
    }

    private long newHandle(Inode inode) {
        long fh = nextHandle++;
        handles.put(fh, inode);
        inode.openCount++;
        return fh;
    }

    private Inode handle(long fh) throws FsException {
        Inode inode = handles.get(fh);
        if (inode == null) throw new FsException(FsException.EBADF, "no open file " + fh);
        return inode;
    }

    private static Attrs attrs(Inode inode) {
        return new Attrs(inode.directory, inode.mode, inode.directory ? 0 : inode.liveSize, inode.atime, inode.mtime, inode.ctime);
    }
}
