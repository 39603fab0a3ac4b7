package lossmeter.server.rdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The encoding half of the format: a buffered sink that keeps the CRC-64 of everything written
 * and writes lengths and strings exactly as Redis 7.0's rdbSaveLen and rdbSaveRawString do.
 */
final class RdbOutput {
    private final WritableByteChannel ch;
    private final boolean compression;
    private final boolean checksum;
    private final byte[] buf = new byte[64 * 1024];
    private final ByteBuffer bb = ByteBuffer.wrap(buf);
    private final Lzf lzf = new Lzf();
    private byte[] lzfOut = new byte[1024];
    private int len;
    private long crc;
    private long written;

    RdbOutput(WritableByteChannel ch, boolean compression, boolean checksum) {
        this.ch = ch;
        this.compression = compression;
        this.checksum = checksum;
    }

    /** Bytes handed to this output so far. */
    long written() {
        return written + len;
    }

    /** The CRC-64 of everything written so far (0 when checksums are off). */
    long crc() throws IOException {
        flushBuffer();
        return crc;
    }

    void writeByte(int b) throws IOException {
        if (len == buf.length) flushBuffer();
        buf[len++] = (byte) b;
    }

    void write(byte[] b, int off, int n) throws IOException {
        while (n > 0) {
            if (len == buf.length) flushBuffer();
            int k = Math.min(n, buf.length - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void writeLe(long v, int n) throws IOException {
        for (int i = 0; i < n; i++) writeByte((int) (v >>> (8 * i)));
    }

    /** rdbSaveLen: 6-bit, 14-bit, 0x80 + 32-bit BE, or 0x81 + 64-bit BE. */
    void writeLen(long n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("negative length " + n);
        if (n < 1 << 6) {
            writeByte((int) n);
        } else if (n < 1 << 14) {
            writeByte((int) (n >>> 8) | (RdbFormat.LEN_14BIT << 6));
            writeByte((int) n);
        } else if (n <= 0xFFFF_FFFFL) {
            writeByte(RdbFormat.LEN_32BIT);
            for (int i = 3; i >= 0; i--) writeByte((int) (n >>> (8 * i)));
        } else {
            writeByte(RdbFormat.LEN_64BIT);
            for (int i = 7; i >= 0; i--) writeByte((int) (n >>> (8 * i)));
        }
    }

    void writeString(String s) throws IOException {
        writeString(s.getBytes(StandardCharsets.UTF_8));
    }

    void writeString(byte[] s) throws IOException {
        writeString(s, 0, s.length);
    }

    /**
     * rdbSaveRawString: an integer encoding when the string is a canonical integer of at most 11
     * characters that fits in 32 bits; LZF when compression is on, the string is longer than 20
     * bytes and compresses into at most len-4 bytes; otherwise length and bytes.
     */
    void writeString(byte[] s, int off, int n) throws IOException {
        if (n <= 11 && writeIntegerEncoded(s, off, n)) return;
        if (compression && n > 20) {
            int room = n - 4;
            if (lzfOut.length < room) lzfOut = new byte[Math.max(room, Math.min(Integer.MAX_VALUE - 8, lzfOut.length * 2))];
            int c = lzf.compress(s, off, n, lzfOut, 0, room);
            if (c > 0) {
                writeByte((RdbFormat.ENCVAL << 6) | RdbFormat.ENC_LZF);
                writeLen(c);
                writeLen(n);
                write(lzfOut, 0, c);
                return;
            }
        }
        writeLen(n);
        write(s, off, n);
    }

    private boolean writeIntegerEncoded(byte[] s, int off, int n) throws IOException {
        byte[] t = off == 0 && n == s.length ? s : java.util.Arrays.copyOfRange(s, off, off + n);
        if (!Decimal.isCanonical(t)) return false;
        long v = Decimal.parse(t);
        if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
            writeByte((RdbFormat.ENCVAL << 6) | RdbFormat.ENC_INT8);
            writeLe(v, 1);
        } else if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
            writeByte((RdbFormat.ENCVAL << 6) | RdbFormat.ENC_INT16);
            writeLe(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte((RdbFormat.ENCVAL << 6) | RdbFormat.ENC_INT32);
            writeLe(v, 4);
        } else {
            return false;
        }
        return true;
    }

    /** Writes out the buffer (folding it into the CRC first). */
    void flushBuffer() throws IOException {
        if (len == 0) return;
        if (checksum) crc = Crc64.update(crc, buf, 0, len);
        bb.clear().limit(len);
        while (bb.hasRemaining()) ch.write(bb);
        written += len;
        len = 0;
    }
}
