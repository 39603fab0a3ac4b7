package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * The unsynced writes and size changes of one file, in the order they happened, each stamped with
 * a filesystem-wide sequence number. Reads replay it over the synced content, an fsync applies it,
 * a power loss forgets it, and the torn modes apply part of it. Appends that follow each other
 * with nothing in between are merged into one entry, which keeps a write-ahead log's many small
 * appends cheap without changing any byte-exact prefix.
 */
final class DirtyLog {
    /** One unsynced change; {@code seq} orders it among all files' changes. */
    sealed interface Entry permits Write, Resize {
        long seq();
    }

    /** Bytes written at an offset (a growable buffer, so merged appends stay amortised O(1)). */
    static final class Write implements Entry {
        private long seq;
        final long offset;
        private byte[] buf;
        private int len;

        Write(long seq, long offset, byte[] data) {
            this.seq = seq;
            this.offset = offset;
            this.buf = data;
            this.len = data.length;
        }

        @Override
        public long seq() {
            return seq;
        }

        int length() {
            return len;
        }

        long end() {
            return offset + len;
        }

        byte[] bytes() {
            return buf;
        }

        private void append(long newSeq, byte[] data) {
            if (len + data.length > buf.length) buf = Arrays.copyOf(buf, Math.max(len + data.length, buf.length * 2));
            System.arraycopy(data, 0, buf, len, data.length);
            len += data.length;
            seq = newSeq;
        }
    }

    /** A truncate (shrink, or zero-extend). */
    record Resize(long seq, long size) implements Entry {
    }

    private final List<Entry> entries = new ArrayList<>();
    private long writtenBytes;
    private long dirtySinceNanos;

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Bytes written since the last sync (an overwritten byte counts each time). */
    long writtenBytes() {
        return writtenBytes;
    }

    /** When the oldest unsynced change was made (System.nanoTime), for the writeback age. */
    long dirtySinceNanos() {
        return dirtySinceNanos;
    }

    void write(long seq, long offset, byte[] data, long nowNanos) {
        if (data.length == 0) return;
        markDirty(nowNanos);
        writtenBytes += data.length;
        // Merged only when no other change of any file came in between, so a byte prefix of the
        // merged entry is still a byte prefix of the history.
        if (!entries.isEmpty() && entries.getLast() instanceof Write w && w.seq == seq - 1 && w.end() == offset) {
            w.append(seq, data);
            return;
        }
        entries.add(new Write(seq, offset, data));
    }

    void resize(long seq, long size, long nowNanos) {
        markDirty(nowNanos);
        entries.add(new Resize(seq, size));
    }

    /**
     * Lays the unsynced changes over {@code dst}, which holds the synced bytes of
     * [offset, offset + len) (zeros past the synced end).
     */
    void overlay(long offset, byte[] dst, int len) {
        long end = offset + len;
        for (Entry e : entries) {
            switch (e) {
                case Write w -> {
                    long from = Math.max(offset, w.offset);
                    long to = Math.min(end, w.end());
                    if (from < to) System.arraycopy(w.buf, (int) (from - w.offset), dst, (int) (from - offset), (int) (to - from));
                }
                case Resize r -> {
                    if (r.size < end) Arrays.fill(dst, (int) Math.max(0, r.size - offset), len, (byte) 0);
                }
            }
        }
    }

    /** Applies every change to {@code content} in order and forgets them: the fsync. */
    void applyTo(Content content) throws IOException {
        for (Entry e : entries) apply(e, content, Long.MAX_VALUE);
        clear();
    }

    /**
     * Applies one entry, at most {@code budget} bytes of it when it is a write; returns the bytes
     * written.
     */
    static long apply(Entry e, Content content, long budget) throws IOException {
        return switch (e) {
            case Write w -> {
                int n = (int) Math.min(w.len, budget);
                content.write(w.offset, w.buf, 0, n);
                yield n;
            }
            case Resize r -> {
                content.setSize(r.size);
                yield 0;
            }
        };
    }

    /** The indexes of the sectors any unsynced write touched, ascending. */
    TreeSet<Long> dirtySectors(int sectorSize) {
        TreeSet<Long> sectors = new TreeSet<>();
        for (Entry e : entries) {
            if (e instanceof Write w) {
                for (long s = w.offset / sectorSize; s * sectorSize < w.end(); s++) sectors.add(s);
            }
        }
        return sectors;
    }

    void clear() {
        entries.clear();
        writtenBytes = 0;
        dirtySinceNanos = 0;
    }

    private void markDirty(long nowNanos) {
        if (entries.isEmpty()) dirtySinceNanos = nowNanos;
    }
}
