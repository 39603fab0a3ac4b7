package lossmeter.faults.lossyfs;

import java.util.Arrays;

/** Synced bytes held in memory, for files without a durable name. */
final class MemoryContent implements Content {
    private byte[] bytes;
    private int size;

    MemoryContent() {
        this(new byte[0], 0);
    }

    MemoryContent(byte[] bytes, int size) {
        this.bytes = bytes;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long offset, byte[] dst, int dstOffset, int len) {
        if (offset >= size) return 0;
        int n = (int) Math.min(len, size - offset);
        System.arraycopy(bytes, (int) offset, dst, dstOffset, n);
        return n;
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int len) {
        long end = offset + len;
        ensure(end);
        System.arraycopy(src, srcOffset, bytes, (int) offset, len);
        size = (int) Math.max(size, end);
    }

    @Override
    public void setSize(long newSize) {
        ensure(newSize);
        if (newSize < size) Arrays.fill(bytes, (int) newSize, size, (byte) 0);
        size = (int) newSize;
    }

    @Override
    public void force() {
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(long end) {
        if (end > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("in-memory file too large: " + end);
        if (end > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.max(end, Math.min(Integer.MAX_VALUE - 16, bytes.length * 2L)));
        }
    }
}
