package lossmeter.server.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that encodes RESP2 replies (and, for the AOF, RESP commands).
 * Appending never fails; draining is done by the owner through {@link #array()} and {@link #consume(int)}.
 */
public final class ReplyBuffer {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[][] SMALL_INTS = new byte[1024][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) SMALL_INTS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] buf;
    private int start;
    private int end;

    public ReplyBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public int length() {
        return end - start;
    }

    public boolean isEmpty() {
        return end == start;
    }

    public byte[] array() {
        return buf;
    }

    public int start() {
        return start;
    }

    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(buf, start, end - start);
    }

    /** Drops the first n bytes (already written out). */
    public void consume(int n) {
        start += n;
        if (start == end) {
            start = end = 0;
            if (buf.length > 1 << 20) buf = new byte[16 * 1024]; // give back memory after a big reply
        }
    }

    /** Cuts the buffer back to the given length (used to retract a reply that must not be sent). */
    public void truncate(int length) {
        end = start + length;
    }

    public void clear() {
        start = end = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOfRange(buf, start, end);
    }

    private void ensure(int n) {
        if (end + n <= buf.length) return;
        int len = end - start;
        if (start > 0 && len + n <= buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, len);
            start = 0;
            end = len;
            return;
        }
        int cap = Math.max(buf.length * 2, len + n);
        byte[] nb = new byte[cap];
        System.arraycopy(buf, start, nb, 0, len);
        buf = nb;
        start = 0;
        end = len;
    }

    public ReplyBuffer raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public ReplyBuffer raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, end, len);
        end += len;
        return this;
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[end++] = (byte) s.charAt(i);
    }

    private void crlf() {
        ensure(2);
        buf[end++] = '\r';
        buf[end++] = '\n';
    }

    private void number(long v) {
        if (v >= 0 && v < SMALL_INTS.length) {
            raw(SMALL_INTS[(int) v]);
        } else {
            ascii(Long.toString(v));
        }
    }

    private void prefixed(byte prefix, long v) {
        ensure(1);
        buf[end++] = prefix;
        number(v);
        crlf();
    }

    /** {@code +OK}-style status reply; the text must not contain CR or LF. */
    public ReplyBuffer simple(String s) {
        ensure(1);
        buf[end++] = '+';
        ascii(s);
        crlf();
        return this;
    }

    /**
     * Error reply. The text is given without the leading '-'. It keeps its own code when it starts
     * with one of Redis's error codes (WRONGTYPE, MISCONF, …) or with '-'; otherwise {@code ERR } is
     * prepended, as Redis does. CR/LF become spaces.
     */
    public ReplyBuffer error(String s) {
        ensure(1);
        buf[end++] = '-';
        if (s.startsWith("-")) s = s.substring(1);
        else if (!hasErrorCode(s)) ascii("ERR ");
        byte[] b = s.replace('\r', ' ').replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
        raw(b);
        crlf();
        return this;
    }

    private static final java.util.Set<String> ERROR_CODES = java.util.Set.of("ERR", "WRONGTYPE", "NOAUTH", "WRONGPASS",
            "LOADING", "MISCONF", "EXECABORT", "NOPROTO", "BUSY", "NOSCRIPT", "OOM", "READONLY", "NOPERM", "BUSYKEY",
            "NOREPLICAS", "MASTERDOWN", "UNKILLABLE", "NOTBUSY");

    private static boolean hasErrorCode(String s) {
        int sp = s.indexOf(' ');
        return sp > 0 && ERROR_CODES.contains(s.substring(0, sp));
    }

    public ReplyBuffer integer(long v) {
        prefixed((byte) ':', v);
        return this;
    }

    public ReplyBuffer bulk(byte[] b) {
        if (b == null) return nullBulk();
        prefixed((byte) '$', b.length);
        raw(b);
        crlf();
        return this;
    }

    public ReplyBuffer bulk(String s) {
        return bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    public ReplyBuffer nullBulk() {
        ascii("$-1\r\n");
        return this;
    }

    public ReplyBuffer array(long n) {
        prefixed((byte) '*', n);
        return this;
    }

    public ReplyBuffer nullArray() {
        ascii("*-1\r\n");
        return this;
    }

    /** Appends a command in RESP multibulk form, as it is written to the AOF. */
    public ReplyBuffer command(byte[]... argv) {
        prefixed((byte) '*', argv.length);
        for (byte[] a : argv) {
            prefixed((byte) '$', a.length);
            raw(a);
            crlf();
        }
        return this;
    }

    /** Appends text as-is (AOF annotations). */
    public ReplyBuffer text(String s) {
        raw(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] crlfBytes() {
        return CRLF.clone();
    }
}
