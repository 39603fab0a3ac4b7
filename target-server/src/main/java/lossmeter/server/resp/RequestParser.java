package lossmeter.server.resp;

import java.util.List;

/**
 * Incremental parser for requests: RESP multibulk ({@code *N\r\n$len\r\narg\r\n…}) and, for
 * sockets, inline commands. The same parser reads client sockets and replays the AOF, so a
 * command means the same bytes in both places.
 *
 * <p>It never allocates more than the bytes that have actually arrived: a declared bulk length
 * is only checked against the limit, and the argument is copied out once it is complete.
 * A call returns {@code null} when the buffer holds no complete command yet; consumed bytes are
 * reported through {@link #position()} so the caller can compact its buffer.
 */
public final class RequestParser {
    /** Longest header or inline line Redis accepts before calling it an attack. */
    public static final int MAX_INLINE = 64 * 1024;
    /** Redis 7 accepts any multibulk count up to INT_MAX; the array grows only as arguments arrive. */
    public static final long MAX_MULTIBULK = Integer.MAX_VALUE;
    /** Limits for clients that have not authenticated yet (Redis 7's defence against memory attacks). */
    public static final long UNAUTH_MAX_MULTIBULK = 10;
    public static final long UNAUTH_MAX_BULK = 16384;

    public enum Mode { SOCKET, AOF }

    private final Mode mode;
    private long maxBulkLen;

    private byte[] buf;
    private int pos;
    private int limit;
    /** Stream offset of buf[0], for error offsets and AOF positions. */
    private long base;

    // Partial multibulk state survives between calls so a slow client is not re-parsed.
    private byte[][] argv;
    private int argCount;
    private int argIndex;
    private boolean unauthenticated;
    private long commandStart = -1;
    private boolean sawAnnotation;

    public RequestParser(Mode mode, long maxBulkLen) {
        this.mode = mode;
        this.maxBulkLen = maxBulkLen;
    }

    public void maxBulkLen(long max) {
        this.maxBulkLen = max;
    }

    /** While true, the smaller limits for unauthenticated clients apply. */
    public void unauthenticated(boolean b) {
        this.unauthenticated = b;
    }

    /** Points the parser at new bytes: buf[from, to) whose first byte is at stream offset {@code streamOffset}. */
    public void feed(byte[] buf, int from, int to, long streamOffset) {
        this.buf = buf;
        this.pos = from;
        this.limit = to;
        this.base = streamOffset - from;
    }

    /** Index in the fed array of the first byte not consumed yet. */
    public int position() {
        return pos;
    }

    /** True when a command has started but is not complete (a truncated tail, if at end of input). */
    public boolean inCommand() {
        return argv != null || commandStart >= 0;
    }

    /** Stream offset just after the last complete command (or annotation) consumed. */
    public long streamPosition() {
        return base + pos;
    }

    /** True when the last call consumed an annotation line ({@code #…}) rather than a command (AOF mode). */
    public boolean sawAnnotation() {
        return sawAnnotation;
    }

    /**
     * Parses the next complete command. Returns its arguments, an empty array for an empty inline
     * line or an AOF annotation (callers skip it), or null when more bytes are needed.
     */
    public byte[][] next() throws ProtocolException {
        sawAnnotation = false;
        if (argv == null) {
            if (pos >= limit) return null;
            byte first = buf[pos];
            if (first != '*') {
                if (mode == Mode.AOF) {
                    if (first == '#') return annotation();
                    throw new ProtocolException("Bad file format: expected '*' at the start of a command, got "
                            + printable(first), base + pos);
                }
                return inline();
            }
            commandStart = base + pos;
            int eol = findCrlf(pos + 1, "too big mbulk count string");
            if (eol < 0) return null;
            long n = parseNumber(pos + 1, eol);
            if (n > MAX_MULTIBULK) {
                throw new ProtocolException("Protocol error: invalid multibulk length", base + pos);
            }
            if (unauthenticated && n > UNAUTH_MAX_MULTIBULK) {
                throw new ProtocolException("Protocol error: unauthenticated multibulk length", base + pos);
            }
            pos = eol + 2;
            if (n <= 0) {
                commandStart = -1;
                if (mode == Mode.AOF) throw new ProtocolException("Bad file format: multibulk count < 1", base + pos);
                return new byte[0][];
            }
            // The declared count is only a promise: the array grows as arguments actually arrive.
            argCount = (int) n;
            argv = new byte[(int) Math.min(n, 1024)][];
            argIndex = 0;
        }
        while (argIndex < argCount) {
            if (pos >= limit) return null;
            if (buf[pos] != '$') {
                throw new ProtocolException("Protocol error: expected '$', got '" + (char) (buf[pos] & 0xff) + "'", base + pos);
            }
            int eol = findCrlf(pos + 1, "too big bulk count string");
            if (eol < 0) return null;
            long len = parseNumber(pos + 1, eol);
            if (len < 0 || len > maxBulkLen) {
                throw new ProtocolException("Protocol error: invalid bulk length", base + pos);
            }
            if (unauthenticated && len > UNAUTH_MAX_BULK) {
                throw new ProtocolException("Protocol error: unauthenticated bulk length", base + pos);
            }
            // The header stays unconsumed until the whole argument has arrived.
            long need = (long) (eol + 2) + len + 2;
            if (need > limit) {
                return null;
            }
            int start = eol + 2;
            int end = start + (int) len;
            if (buf[end] != '\r' || buf[end + 1] != '\n') {
                throw new ProtocolException("Protocol error: bulk argument not followed by CRLF", base + end);
            }
            byte[] arg = new byte[(int) len];
            System.arraycopy(buf, start, arg, 0, (int) len);
            if (argIndex == argv.length) argv = java.util.Arrays.copyOf(argv, (int) Math.min((long) argv.length * 2, argCount));
            argv[argIndex++] = arg;
            pos = end + 2;
        }
        byte[][] done = argv;
        argv = null;
        commandStart = -1;
        return done;
    }

    /** Bytes of the current header that must still arrive before the parser can proceed; for buffer sizing. */
    public int pendingBulkBytes() {
        if (argv == null || pos >= limit || buf[pos] != '$') return 0;
        int eol = indexOfCrlf(pos + 1);
        if (eol < 0) return 0;
        long len;
        try {
            len = parseNumber(pos + 1, eol);
        } catch (ProtocolException e) {
            return 0;
        }
        long need = (long) (eol + 2) + len + 2 - pos;
        return need > Integer.MAX_VALUE - 64 ? Integer.MAX_VALUE - 64 : (int) need;
    }

    /** Forgets any partial command (after an error closes the stream). */
    public void reset() {
        argv = null;
        commandStart = -1;
    }

    private byte[][] annotation() throws ProtocolException {
        int eol = indexOfLf(pos);
        if (eol < 0) {
            if (limit - pos > MAX_INLINE) throw new ProtocolException("Bad file format: annotation line too long", base + pos);
            return null;
        }
        pos = eol + 1;
        sawAnnotation = true;
        return new byte[0][];
    }

    private byte[][] inline() throws ProtocolException {
        int eol = indexOfLf(pos);
        if (eol < 0) {
            if (limit - pos > MAX_INLINE) {
                throw new ProtocolException("Protocol error: too big inline request", base + pos);
            }
            return null;
        }
        int end = eol;
        if (end > pos && buf[end - 1] == '\r') end--;
        List<byte[]> args = InlineArgs.split(buf, pos, end);
        if (args == null) throw new ProtocolException("Protocol error: unbalanced quotes in request", base + pos);
        pos = eol + 1;
        return args.toArray(new byte[0][]);
    }

    private int findCrlf(int from, String tooBig) throws ProtocolException {
        int eol = indexOfCrlf(from);
        if (eol < 0 && limit - from > MAX_INLINE) {
            throw new ProtocolException("Protocol error: " + tooBig, base + from);
        }
        return eol;
    }

    private int indexOfCrlf(int from) {
        int end = Math.min(limit - 1, from + MAX_INLINE + 1);
        for (int i = from; i < end; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') return i;
        }
        return -1;
    }

    private int indexOfLf(int from) {
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') return i;
        }
        return -1;
    }

    /**
     * Parses a signed decimal in buf[from, to) with Redis's string2ll rules (no leading zeros, no
     * "-0", no overflow); anything else is a protocol error naming the header it was in.
     */
    private long parseNumber(int from, int to) throws ProtocolException {
        long v = parseStrict(buf, from, to);
        if (v == BAD) {
            throw new ProtocolException("Protocol error: invalid " + (buf[from - 1] == '*' ? "multibulk" : "bulk") + " length",
                    base + from - 1);
        }
        return v;
    }

    private static final long BAD = Long.MIN_VALUE;

    private static long parseStrict(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 20) return BAD;
        if (n == 1 && b[from] == '0') return 0;
        int i = from;
        boolean neg = b[i] == '-';
        if (neg && ++i == to) return BAD;
        if (b[i] < '1' || b[i] > '9') return BAD;
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return BAD;
            if (v > (Long.MAX_VALUE - d) / 10) return BAD;
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    private static String printable(byte b) {
        int c = b & 0xff;
        return c >= 32 && c < 127 ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }
}
