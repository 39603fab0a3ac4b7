package lossmeter.server.rdb;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.DataFormatException;

/**
 * LZF as Redis uses it for RDB strings: a port of liblzf 3.6's {@code lzf_compress} (HLOG 16,
 * VERY_FAST) that, like Redis, gives up when the output would not fit the room it is given, and a
 * decompressor that checks every literal run and back reference against both buffers, so that
 * malformed input ends in a {@link DataFormatException}, never in an out-of-bounds access.
 *
 * <p>One instance keeps the compressor's hash table between calls; it is not thread-safe.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    // liblzf leaves its table uninitialised; ours starts empty on every call without clearing
    // 256 KiB each time: an entry belongs to the current call only when it is above `base`.
    private final int[] htab = new int[HSIZE];
    private int base;

    /**
     * Compresses {@code in[inOff, inOff+inLen)} into {@code out[outOff, outOff+outLen)}; returns the
     * compressed length, or 0 when it does not fit (as liblzf does: Redis passes {@code len - 4} as
     * the room, so 0 means "not worth it").
     */
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        if (inLen == 0 || outLen == 0) return 0;
        if (base > Integer.MAX_VALUE - inLen - 1) {
            Arrays.fill(htab, 0);
            base = 0;
        }
        final int b = base;
        base += inLen;
        final int inEnd = inOff + inLen;
        final int outEnd = outOff + outLen;
        int ip = inOff;
        int op = outOff;
        int lit = 0;
        op++; // start run

        int hval = inLen >= 2 ? first(in, ip) : 0;
        while (ip < inEnd - 2) {
            hval = next(hval, in, ip);
            int slot = idx(hval);
            int stored = htab[slot];
            htab[slot] = b + (ip - inOff);
            // ref > in_data: an entry of this call at a position after the first byte
            int ref = stored > b ? inOff + (stored - b) : -1;
            int off = ip - ref - 1;
            if (ref > inOff && off < MAX_OFF && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxlen = inEnd - ip - len;
                if (maxlen > MAX_REF) maxlen = MAX_REF;

                if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;

                out[op - lit - 1] = (byte) (lit - 1); // stop run
                if (lit == 0) op--; // undo run if length is zero

                // liblzf's unrolled loop: up to 16 compares; a mismatch there skips the plain loop.
                if (maxlen > 16) {
                    int stop = len + 16;
                    while (len < stop) {
                        len++;
                        if (in[ref + len] != in[ip + len]) break;
                    }
                    if (len == stop && in[ref + len] == in[ip + len]) {
                        do {
                            len++;
                        } while (len < maxlen && in[ref + len] == in[ip + len]);
                    }
                } else {
                    do {
                        len++;
                    } while (len < maxlen && in[ref + len] == in[ip + len]);
                }

                len -= 2; // now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run

                ip += len + 1;
                if (ip >= inEnd - 2) break;

                ip -= 2;
                hval = first(in, ip);
                hval = next(hval, in, ip);
                htab[idx(hval)] = b + (ip - inOff);
                ip++;
                hval = next(hval, in, ip);
                htab[idx(hval)] = b + (ip - inOff);
                ip++;
            } else {
                if (op >= outEnd) return 0;
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1); // stop run
                    lit = 0;
                    op++; // start run
                }
            }
        }

        if (op + 3 > outEnd) return 0; // at most 3 bytes can be missing here

        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end run
        if (lit == 0) op--;
        return op - outOff;
    }

    private static int first(byte[] in, int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    private static int next(int v, byte[] in, int p) {
        return (v << 8) | (in[p + 2] & 0xff);
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Decompresses {@code in[off, off+len)}, which must expand to exactly {@code originalLen} bytes.
     * The output grows as it is produced, so a corrupt length never allocates more than the input
     * can really expand to.
     *
     * @throws DataFormatException if the input is malformed or does not expand to exactly originalLen bytes
     */
    public static byte[] decompress(byte[] in, int off, int len, int originalLen) throws DataFormatException {
        Objects.checkFromIndexSize(off, len, in.length);
        if (originalLen < 0) throw new DataFormatException("LZF: negative original length " + originalLen);
        byte[] out = new byte[(int) Math.min(originalLen, Math.max(1024L, 4L * len))];
        int ip = off;
        final int inEnd = off + len;
        int op = 0;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) { // literal run of ctrl+1 bytes
                ctrl++;
                if (ctrl > inEnd - ip) {
                    throw new DataFormatException("LZF: literal run of " + ctrl + " bytes at input offset " + (ip - 1 - off)
                            + " goes past the end of the input");
                }
                out = room(out, op, ctrl, originalLen);
                System.arraycopy(in, ip, out, op, ctrl);
                ip += ctrl;
                op += ctrl;
            } else { // back reference
                int n = ctrl >>> 5;
                int back = (ctrl & 0x1f) << 8;
                if (ip >= inEnd) throw new DataFormatException("LZF: back reference cut short at the end of the input");
                if (n == 7) {
                    n += in[ip++] & 0xff;
                    if (ip >= inEnd) throw new DataFormatException("LZF: back reference cut short at the end of the input");
                }
                back += in[ip++] & 0xff;
                int ref = op - back - 1;
                if (ref < 0) {
                    throw new DataFormatException("LZF: back reference to " + (back + 1) + " bytes back, before the start of the output (at "
                            + op + ")");
                }
                n += 2;
                out = room(out, op, n, originalLen);
                if (op - ref >= n) {
                    System.arraycopy(out, ref, out, op, n);
                    op += n;
                } else {
                    for (int k = 0; k < n; k++) out[op++] = out[ref++]; // overlapping: byte by byte
                }
            }
        }
        if (op != originalLen) {
            throw new DataFormatException("LZF: expanded to " + op + " bytes, expected " + originalLen);
        }
        return out.length == op ? out : Arrays.copyOf(out, op);
    }

    private static byte[] room(byte[] out, int op, int n, int limit) throws DataFormatException {
        if (n > limit - op) throw new DataFormatException("LZF: expands past the expected " + limit + " bytes");
        if (op + n <= out.length) return out;
        long grown = Math.max((long) out.length * 2, (long) op + n);
        return Arrays.copyOf(out, (int) Math.min(grown, limit));
    }
}
