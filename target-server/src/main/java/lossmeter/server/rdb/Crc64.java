package lossmeter.server.rdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The CRC-64 that closes an RDB file, as Redis computes it: Jones polynomial
 * ({@code 0xad93d23594c935a9}), reflected, initial value 0, no final xor; the check value of
 * {@code "123456789"} is {@code 0xe9c6d914c4b8d9ca}. Table-driven, eight bytes per step (slicing-by-8).
 */
public final class Crc64 {
    /** The Jones polynomial, bit-reversed for the reflected (LSB-first) algorithm. */
    static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);

    private static final long[][] T = new long[8][256];
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            T[0][n] = c;
        }
        for (int n = 0; n < 256; n++) {
            long c = T[0][n];
            for (int k = 1; k < 8; k++) {
                c = T[0][(int) c & 0xff] ^ (c >>> 8);
                T[k][n] = c;
            }
        }
    }

    private Crc64() {
    }

    /** The CRC of {@code b[off, off+len)} continued from {@code crc} (0 to start). */
    public static long update(long crc, byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        long[] t0 = T[0], t1 = T[1], t2 = T[2], t3 = T[3], t4 = T[4], t5 = T[5], t6 = T[6], t7 = T[7];
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            long x = crc ^ (long) LE_LONG.get(b, i);
            crc = t7[(int) x & 0xff] ^ t6[(int) (x >>> 8) & 0xff] ^ t5[(int) (x >>> 16) & 0xff]
                    ^ t4[(int) (x >>> 24) & 0xff] ^ t3[(int) (x >>> 32) & 0xff] ^ t2[(int) (x >>> 40) & 0xff]
                    ^ t1[(int) (x >>> 48) & 0xff] ^ t0[(int) (x >>> 56)];
            i += 8;
        }
        while (i < end) crc = t0[((int) crc ^ b[i++]) & 0xff] ^ (crc >>> 8);
        return crc;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
