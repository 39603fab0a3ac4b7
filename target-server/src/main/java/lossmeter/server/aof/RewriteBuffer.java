package lossmeter.server.aof;

import java.util.ArrayList;
import java.util.List;

/**
 * The writes that arrive while a rewrite builds its new file: the exact bytes the old AOF
 * received after the snapshot, in order. The event loop appends; the rewrite's thread drains
 * most of it while the new file is still a temp file, and the loop appends the last, small
 * remainder itself just before the switch.
 */
public final class RewriteBuffer {
    private List<byte[]> chunks = new ArrayList<>();
    private long bytes;
    private long total;

    synchronized void append(byte[] b, int off, int len) {
        if (len == 0) return;
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        chunks.add(copy);
        bytes += len;
        total += len;
    }

    /** Takes everything appended so far, oldest first. */
    public synchronized List<byte[]> drain() {
        List<byte[]> out = chunks;
        chunks = new ArrayList<>();
        bytes = 0;
        return out;
    }

    /** Bytes waiting to be drained. */
    public synchronized long pending() {
        return bytes;
    }

    /** Bytes ever appended (INFO and logs). */
    public synchronized long total() {
        return total;
    }
}
