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

    /** The JVM's largest byte array, give or take the header words some VMs reserve. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private byte[] buf;
    private int start;
    private int end;
    private long maxCapacity = MAX_ARRAY;
    private BufferBudget budget;
    /** Bytes of {@link #budget} this buffer holds (its array's size once bound). */
    private long charged;
    private boolean overflowed;
    /** How long the replies would have been when the growth was refused (for the log line that closes the client). */
    private long lengthAtOverflow;

    public ReplyBuffer(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /**
     * Bounds the memory this buffer may take: its array never grows past {@code maxCapacity}, and
     * every growth is reserved in {@code budget} first. A growth that is refused, or whose
     * allocation fails, does not fail the append: the buffer drops everything it holds and every
     * later append, and {@link #overflowed()} says so; the owner is expected to close the client.
     */
    public void bound(long maxCapacity, BufferBudget budget) {
        this.maxCapacity = Math.min(MAX_ARRAY, Math.max(64, maxCapacity));
        this.budget = budget;
        // The small initial array; refused only when the budget is already spent, and then not charged.
        charged = budget.reserve(buf.length) ? buf.length : 0;
    }

    /** True once a growth past the bound was refused: the replies are gone and nothing more is kept. */
    public boolean overflowed() {
        return overflowed;
    }

    /** The length the replies would have reached at the refused growth; 0 before any. */
    public long lengthAtOverflow() {
        return lengthAtOverflow;
    }

    /** Gives this buffer's memory back to its budget (the client is gone); the buffer keeps nothing. */
    public void release() {
        if (budget != null) budget.release(charged);
        charged = 0;
        start = end = 0;
        overflowed = true;
    }

    public int length() {
        return end - start;
    }

    /** Bytes the buffer's array takes, used or not. */
    public int capacity() {
        return buf.length;
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
            if (buf.length > 1 << 20) resize(16 * 1024); // give back memory after a big reply
        }
    }

    /** Cuts the buffer back to the given length (used to retract a reply that must not be sent). */
    public void truncate(int length) {
        end = start + Math.min(length, end - start);
    }

    public void clear() {
        start = end = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOfRange(buf, start, end);
    }

    /** Makes room for n more bytes; false when the bound refused it (the bytes are then dropped). */
    private boolean ensure(int n) {
        if (overflowed) return false;
        if (end + n <= buf.length) return true;
        int len = end - start;
        if (start > 0 && len + n <= buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, len);
            start = 0;
            end = len;
            return true;
        }
        long needed = (long) len + n;
        if (needed > maxCapacity) return overflow(needed);
        long cap = Math.min(Math.max(buf.length * 2L, needed), maxCapacity);
        if (budget != null && !budget.reserve(cap - charged)) return overflow(needed);
        byte[] nb;
        try {
            nb = new byte[(int) cap];
        } catch (OutOfMemoryError e) {
            // Nothing was changed yet, so for a bounded (client) buffer a failed growth is just one
            // more way to be over the limit. An unbounded buffer (the AOF's) must never drop bytes.
            if (budget == null) throw e;
            budget.release(cap - charged);
            return overflow(needed);
        }
        System.arraycopy(buf, start, nb, 0, len);
        buf = nb;
        if (budget != null) charged = cap;
        start = 0;
        end = len;
        return true;
    }

    private boolean overflow(long needed) {
        if (budget == null) throw new OutOfMemoryError("buffer would exceed the largest array the JVM allows");
        overflowed = true;
        lengthAtOverflow = needed;
        start = end = 0;
        resize(64);
        return false;
    }

    private void resize(int cap) {
        buf = new byte[cap];
        if (budget != null) {
            budget.release(charged);
            charged = budget.reserve(cap) ? cap : 0;
        }
    }

    public ReplyBuffer raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public ReplyBuffer raw(byte[] b, int off, int len) {
        if (!ensure(len)) return this;
        System.arraycopy(b, off, buf, end, len);
        end += len;
        return this;
    }

    private void put(byte b) {
        if (ensure(1)) buf[end++] = b;
    }

    private void ascii(String s) {
        int n = s.length();
        if (!ensure(n)) return;
        for (int i = 0; i < n; i++) buf[end++] = (byte) s.charAt(i);
    }

    private void crlf() {
        if (!ensure(2)) return;
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
        put(prefix);
        number(v);
        crlf();
    }

    /** {@code +OK}-style status reply; the text must not contain CR or LF. */
    public ReplyBuffer simple(String s) {
        put((byte) '+');
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
        put((byte) '-');
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
