package lossmeter.server.rdb;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;

/**
 * Decoder of Redis's ziplist, the node format of type-14 quicklists (Redis 3.2 to 6.2) and of
 * type-10 lists, with the checks of Redis's deep ziplist integrity check.
 *
 * <pre>
 * zlbytes u32 LE | zltail u32 LE | zllen u16 LE (65535: unknown) | entry… | 0xFF
 * entry = prevlen (1 byte, or 0xFE + u32 LE) | encoding | data
 * </pre>
 */
final class Ziplist {
    private static final int HEADER_SIZE = 10;
    private static final int END = 0xFF;
    private static final int BIG_PREVLEN = 0xFE;

    private Ziplist() {
    }

    static void decode(byte[] zl, Consumer<byte[]> sink) throws DataFormatException {
        int size = zl.length;
        if (size < HEADER_SIZE + 1) throw new DataFormatException("ziplist of " + size + " bytes is shorter than its header");
        long bytes = Listpack.le(zl, 0, 4);
        if (bytes != size) throw new DataFormatException("ziplist header says " + bytes + " bytes, the blob has " + size);
        if ((zl[size - 1] & 0xff) != END) throw new DataFormatException("ziplist does not end with its terminator");
        long tail = Listpack.le(zl, 4, 4);
        if (tail > size - 1) throw new DataFormatException("ziplist tail offset " + tail + " is outside the ziplist");
        int headerCount = (int) Listpack.le(zl, 8, 2);
        int last = size - 1; // the terminator
        int p = HEADER_SIZE;
        int prev = -1;
        long prevRawSize = 0;
        int count = 0;
        while ((zl[p] & 0xff) != END) {
            // prevlen
            long prevlen;
            int prevlenSize;
            if ((zl[p] & 0xff) < BIG_PREVLEN) {
                prevlen = zl[p] & 0xff;
                prevlenSize = 1;
            } else {
                need(p, 5, last, count);
                prevlen = Listpack.le(zl, p + 1, 4);
                prevlenSize = 5;
            }
            if (prevlen != prevRawSize) throw new DataFormatException("ziplist entry " + count + " has a wrong previous-entry length");
            int e = p + prevlenSize;
            need(e, 1, last, count);
            int enc = zl[e] & 0xff;
            int lensize;
            long len;
            byte[] value = null;
            if (enc < 0xC0) { // string
                switch (enc >>> 6) {
                    case 0 -> {
                        lensize = 1;
                        len = enc & 0x3F;
                    }
                    case 1 -> {
                        need(e, 2, last, count);
                        lensize = 2;
                        len = ((long) (enc & 0x3F) << 8) | (zl[e + 1] & 0xff);
                    }
                    default -> {
                        need(e, 5, last, count);
                        lensize = 5;
                        len = ((long) (zl[e + 1] & 0xff) << 24) | ((zl[e + 2] & 0xff) << 16) | ((zl[e + 3] & 0xff) << 8)
                                | (zl[e + 4] & 0xff);
                    }
                }
            } else {
                lensize = 1;
                int n;
                if (enc == 0xC0) n = 2;
                else if (enc == 0xD0) n = 4;
                else if (enc == 0xE0) n = 8;
                else if (enc == 0xF0) n = 3;
                else if (enc == 0xFE) n = 1;
                else if (enc >= 0xF1 && enc <= 0xFD) n = 0;
                else throw new DataFormatException("ziplist entry " + count + " has the invalid encoding byte 0x" + Integer.toHexString(enc));
                len = n;
                need(e, 1 + n, last, count);
                if (n == 0) {
                    value = Decimal.ascii((enc & 0x0F) - 1);
                } else {
                    long u = Listpack.le(zl, e + 1, n);
                    value = Decimal.ascii(n == 8 ? u : (u << (64 - 8 * n)) >> (64 - 8 * n));
                }
            }
            long raw = prevlenSize + lensize + len;
            if (raw > last - p) throw new DataFormatException("ziplist entry " + count + " runs past the end");
            if (value == null) {
                int data = e + lensize;
                value = Arrays.copyOfRange(zl, data, data + (int) len);
            }
            sink.accept(value);
            prevRawSize = raw;
            prev = p;
            p += (int) raw;
            count++;
        }
        if (p != last) throw new DataFormatException("ziplist terminator found before its end");
        if (prev >= 0 && prev != tail) throw new DataFormatException("ziplist tail offset does not point at the last entry");
        if (headerCount != 0xFFFF && headerCount != count) {
            throw new DataFormatException("ziplist header says " + headerCount + " elements, it holds " + count);
        }
    }

    private static void need(int p, int n, int last, int entry) throws DataFormatException {
        if (n > last - p) throw new DataFormatException("ziplist entry " + entry + " header runs past the end");
    }
}
