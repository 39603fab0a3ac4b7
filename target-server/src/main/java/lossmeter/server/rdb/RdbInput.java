package lossmeter.server.rdb;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The bytes an RDB is read from, with the CRC-64 of everything consumed and an exact count of
 * what is left, so that no length read from the file is trusted beyond the bytes that remain.
 * Reads a file through positional reads (its channel's position is left alone) or a byte array.
 */
final class RdbInput {
    private final FileChannel ch;
    private final long start;
    private final long length;
    private final byte[] buf;
    private int pos;
    private int lim;
    /** Offset (from start) of buf[0]. */
    private long bufBase;
    /** Bytes of buf already folded into crc. */
    private int crcPos;
    private long crc;

    private RdbInput(FileChannel ch, long start, long length, byte[] buf, int lim) {
        this.ch = ch;
        this.start = start;
        this.length = length;
        this.buf = buf;
        this.lim = lim;
    }

    /** The file from {@code start} to its current end. */
    static RdbInput of(FileChannel ch, long start) throws IOException {
        return new RdbInput(ch, start, Math.max(0, ch.size() - start), new byte[1 << 20], 0);
    }

    static RdbInput of(byte[] bytes) {
        return new RdbInput(null, 0, bytes.length, bytes, bytes.length);
    }

    /** Bytes consumed so far: the offset of the next read. */
    long position() {
        return bufBase + pos;
    }

    long remaining() {
        return length - position();
    }

    /** The CRC-64 of every byte consumed so far. */
    long crc() {
        if (crcPos < pos) {
            crc = Crc64.update(crc, buf, crcPos, pos - crcPos);
            crcPos = pos;
        }
        return crc;
    }

    /** Next byte, 0-255. */
    int readByte() throws IOException {
        if (pos == lim && !fill()) throw new EOFException();
        return buf[pos++] & 0xff;
    }

    void readFully(byte[] dst, int off, int n) throws IOException {
        if (n > remaining()) throw new EOFException();
        while (n > 0) {
            if (pos == lim && !fill()) throw new EOFException();
            int k = Math.min(n, lim - pos);
            System.arraycopy(buf, pos, dst, off, k);
            pos += k;
            off += k;
            n -= k;
        }
    }

    /** Reads {@code n} bytes into a new array; refuses (EOF) before allocating when fewer remain. */
    byte[] readBytes(long n) throws IOException {
        if (n < 0 || n > remaining()) throw new EOFException();
        byte[] b = new byte[(int) n];
        readFully(b, 0, (int) n);
        return b;
    }

    long readLe(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) readByte() << (8 * i);
        return v;
    }

    private boolean fill() throws IOException {
        if (ch == null) return false;
        crc();
        bufBase += lim;
        pos = 0;
        lim = 0;
        crcPos = 0;
        long left = length - bufBase;
        if (left <= 0) return false;
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, left));
        while (bb.hasRemaining()) {
            int r = ch.read(bb, start + bufBase + bb.position());
            if (r < 0) break; // the file shrank while being read
        }
        lim = bb.position();
        return lim > 0;
    }
}
