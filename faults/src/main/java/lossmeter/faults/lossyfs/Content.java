package lossmeter.faults.lossyfs;

import java.io.Closeable;
import java.io.IOException;

/**
 * The synced bytes of one file: what survives a power loss. It lives in the backing directory
 * when the file has a durable name, and in memory while it has none (created, or unlinked, but
 * the directory entry is not durable yet).
 */
interface Content extends Closeable {
    long size() throws IOException;

    /** Reads up to {@code len} bytes at {@code offset}; returns how many exist (0 past the end). */
    int read(long offset, byte[] dst, int dstOffset, int len) throws IOException;

    /** Writes at {@code offset}, zero-filling any gap past the current end. */
    void write(long offset, byte[] src, int srcOffset, int len) throws IOException;

    /** Cuts or zero-extends to {@code size}, like ftruncate. */
    void setSize(long size) throws IOException;

    /** Makes the bytes durable on the host, so the backing image costs what a real disk costs. */
    void force() throws IOException;

    @Override
    default void close() throws IOException {
    }

    /** A copy in memory, for a file that is losing its durable name while still in use. */
    default MemoryContent toMemory() throws IOException {
        long size = size();
        if (size > Integer.MAX_VALUE - 16) throw new IOException("file too large to hold in memory: " + size);
        byte[] all = new byte[(int) size];
        int done = 0;
        while (done < all.length) {
            int n = read(done, all, done, all.length - done);
            if (n <= 0) break;
            done += n;
        }
        return new MemoryContent(all, done);
    }
}
