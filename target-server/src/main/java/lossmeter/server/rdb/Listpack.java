package lossmeter.server.rdb;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;

/**
 * Redis's listpack, the node format of a type-18 quicklist: a builder that encodes elements as
 * Redis 7.0 does (canonical integers as integers, the rest as strings) and a decoder that checks
 * what Redis's deep integrity check checks.
 *
 * <pre>
 * total-bytes u32 LE | count u16 LE (65535: unknown) | entry… | 0xFF
 * entry = encoding [data] backlen, backlen = size of encoding+data in 7-bit groups, read backwards
 * </pre>
 */
final class Listpack {
    static final int HEADER_SIZE = 6;
    private static final int EOF = 0xFF;
    private static final int NUMELE_UNKNOWN = 0xFFFF;

    private Listpack() {
    }

    /** Builds one listpack at a time in a reusable buffer. */
    static final class Builder {
        private byte[] buf = new byte[8192 + 64];
        private int len = HEADER_SIZE;
        private int count;

        void reset() {
            len = HEADER_SIZE;
            count = 0;
        }

        int count() {
            return count;
        }

        /** Bytes so far, header included, terminator not. */
        int bytes() {
            return len;
        }

        void add(byte[] e) {
            ensure(e.length + 16);
            int start = len;
            if (Decimal.isCanonical(e)) {
                putInteger(Decimal.parse(e));
            } else if (e.length < 64) {
                buf[len++] = (byte) (0x80 | e.length);
                putBytes(e);
            } else if (e.length < 4096) {
                buf[len++] = (byte) (0xE0 | (e.length >>> 8));
                buf[len++] = (byte) e.length;
                putBytes(e);
            } else {
                buf[len++] = (byte) 0xF0;
                putLe(e.length, 4);
                putBytes(e);
            }
            len += encodeBacklen(len - start, buf, len);
            count++;
        }

        /** Writes the header and terminator; the listpack is {@code array()[0, size)}. */
        int finish() {
            ensure(1);
            buf[len++] = (byte) EOF;
            int total = len;
            for (int i = 0; i < 4; i++) buf[i] = (byte) (total >>> (8 * i));
            int n = count < NUMELE_UNKNOWN ? count : NUMELE_UNKNOWN;
            buf[4] = (byte) n;
            buf[5] = (byte) (n >>> 8);
            return total;
        }

        byte[] array() {
            return buf;
        }

        private void putInteger(long v) {
            if (v >= 0 && v <= 127) {
                buf[len++] = (byte) v;
            } else if (v >= -4096 && v <= 4095) {
                long u = v < 0 ? (1L << 13) + v : v;
                buf[len++] = (byte) ((u >>> 8) | 0xC0);
                buf[len++] = (byte) u;
            } else if (v >= -32768 && v <= 32767) {
                buf[len++] = (byte) 0xF1;
                putLe(v, 2);
            } else if (v >= -8388608 && v <= 8388607) {
                buf[len++] = (byte) 0xF2;
                putLe(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                buf[len++] = (byte) 0xF3;
                putLe(v, 4);
            } else {
                buf[len++] = (byte) 0xF4;
                putLe(v, 8);
            }
        }

        private void putLe(long v, int n) {
            for (int i = 0; i < n; i++) buf[len++] = (byte) (v >>> (8 * i));
        }

        private void putBytes(byte[] e) {
            System.arraycopy(e, 0, buf, len, e.length);
            len += e.length;
        }

        private void ensure(int more) {
            if ((long) len + more > buf.length) {
                long want = Math.max((long) buf.length * 2, (long) len + more);
                if (want > Integer.MAX_VALUE - 8) throw new IllegalStateException("listpack too large: " + want + " bytes");
                buf = Arrays.copyOf(buf, (int) want);
            }
        }
    }

    /** The bytes an element takes in a listpack: encoding, data and backlen. */
    static int entrySize(byte[] e) {
        long entry;
        if (Decimal.isCanonical(e)) {
            long v = Decimal.parse(e);
            entry = v >= 0 && v <= 127 ? 1 : v >= -4096 && v <= 4095 ? 2 : v >= -32768 && v <= 32767 ? 3
                    : v >= -8388608 && v <= 8388607 ? 4 : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 9;
        } else {
            entry = (e.length < 64 ? 1 : e.length < 4096 ? 2 : 5) + (long) e.length;
        }
        int back = entry <= 127 ? 1 : entry < 16383 ? 2 : entry < 2097151 ? 3 : entry < 268435455 ? 4 : 5;
        return (int) (entry + back);
    }

    /** Writes the backlen of an entry of {@code l} bytes at {@code out[at…]}; returns its size. */
    static int encodeBacklen(long l, byte[] out, int at) {
        if (l <= 127) {
            out[at] = (byte) l;
            return 1;
        } else if (l < 16383) {
            out[at] = (byte) (l >>> 7);
            out[at + 1] = (byte) ((l & 127) | 128);
            return 2;
        } else if (l < 2097151) {
            out[at] = (byte) (l >>> 14);
            out[at + 1] = (byte) (((l >>> 7) & 127) | 128);
            out[at + 2] = (byte) ((l & 127) | 128);
            return 3;
        } else if (l < 268435455) {
            out[at] = (byte) (l >>> 21);
            out[at + 1] = (byte) (((l >>> 14) & 127) | 128);
            out[at + 2] = (byte) (((l >>> 7) & 127) | 128);
            out[at + 3] = (byte) ((l & 127) | 128);
            return 4;
        } else {
            out[at] = (byte) (l >>> 28);
            out[at + 1] = (byte) (((l >>> 21) & 127) | 128);
            out[at + 2] = (byte) (((l >>> 14) & 127) | 128);
            out[at + 3] = (byte) (((l >>> 7) & 127) | 128);
            out[at + 4] = (byte) ((l & 127) | 128);
            return 5;
        }
    }

    /**
     * Decodes every element of a listpack into {@code sink} (integers as their decimal strings),
     * checking the header size, the terminator, each entry's bounds and backlen, and the count.
     */
    static void decode(byte[] lp, Consumer<byte[]> sink) throws DataFormatException {
        int size = lp.length;
        if (size < HEADER_SIZE + 1) throw new DataFormatException("listpack of " + size + " bytes is shorter than its header");
        long total = le(lp, 0, 4);
        if (total != size) throw new DataFormatException("listpack header says " + total + " bytes, the blob has " + size);
        if ((lp[size - 1] & 0xff) != EOF) throw new DataFormatException("listpack does not end with its terminator");
        int numele = (int) le(lp, 4, 2);
        int last = size - 1; // index of the terminator
        int p = HEADER_SIZE;
        int count = 0;
        byte[] backlen = new byte[5];
        while (p < last) {
            int enc = lp[p] & 0xff;
            int encLen;
            long dataLen;
            byte[] value;
            if ((enc & 0x80) == 0) { // 7-bit unsigned integer
                encLen = 1;
                dataLen = 0;
                value = Decimal.ascii(enc);
            } else if ((enc & 0xC0) == 0x80) { // 6-bit string length
                encLen = 1;
                dataLen = enc & 0x3F;
                value = null;
            } else if ((enc & 0xE0) == 0xC0) { // 13-bit signed integer
                encLen = 2;
                dataLen = 0;
                need(p, 2, last);
                long u = ((long) (enc & 0x1F) << 8) | (lp[p + 1] & 0xff);
                value = Decimal.ascii(u >= 1 << 12 ? u - (1 << 13) : u);
            } else if ((enc & 0xF0) == 0xE0) { // 12-bit string length
                encLen = 2;
                need(p, 2, last);
                dataLen = ((long) (enc & 0x0F) << 8) | (lp[p + 1] & 0xff);
                value = null;
            } else if (enc == 0xF0) { // 32-bit string length
                encLen = 5;
                need(p, 5, last);
                dataLen = le(lp, p + 1, 4);
                value = null;
            } else if (enc >= 0xF1 && enc <= 0xF4) {
                int n = switch (enc) {
                    case 0xF1 -> 2;
                    case 0xF2 -> 3;
                    case 0xF3 -> 4;
                    default -> 8;
                };
                encLen = 1 + n;
                dataLen = 0;
                need(p, encLen, last);
                long u = le(lp, p + 1, n);
                value = Decimal.ascii(n == 8 ? u : (u << (64 - 8 * n)) >> (64 - 8 * n));
            } else {
                throw new DataFormatException("listpack entry " + count + " has the invalid encoding byte 0x" + Integer.toHexString(enc));
            }
            long entryLen = encLen + dataLen;
            int bl = encodeBacklen(entryLen, backlen, 0);
            if (entryLen + bl > last - p) throw new DataFormatException("listpack entry " + count + " runs past the end");
            int dataStart = p + encLen;
            if (value == null) value = Arrays.copyOfRange(lp, dataStart, dataStart + (int) dataLen);
            int q = (int) (p + entryLen);
            if (!Arrays.equals(lp, q, q + bl, backlen, 0, bl)) {
                throw new DataFormatException("listpack entry " + count + " has a backlen that does not match its size");
            }
            sink.accept(value);
            count++;
            p = q + bl;
        }
        if (numele != NUMELE_UNKNOWN && numele != count) {
            throw new DataFormatException("listpack header says " + numele + " elements, it holds " + count);
        }
    }

    private static void need(int p, int n, int last) throws DataFormatException {
        if (n > last - p) throw new DataFormatException("listpack entry header runs past the end");
    }

    static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xff);
        return v;
    }
}
