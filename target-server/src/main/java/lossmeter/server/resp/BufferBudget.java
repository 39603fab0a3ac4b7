package lossmeter.server.resp;

/**
 * Bytes of buffer memory that many buffers share (every client's replies and requests together).
 * A buffer reserves before it grows and gives back when it shrinks or its client goes; a
 * reservation that does not fit is refused, and the buffer that asked is over its limit. Used by
 * the event-loop thread only.
 */
public final class BufferBudget {
    private final long max;
    private long used;

    public BufferBudget(long max) {
        this.max = max;
    }

    public static BufferBudget unlimited() {
        return new BufferBudget(Long.MAX_VALUE);
    }

    /** Takes n more bytes if they fit; false (and nothing taken) otherwise. */
    public boolean reserve(long n) {
        if (n > max - used) return false;
        used += n;
        return true;
    }

    public void release(long n) {
        used = Math.max(0, used - n);
    }

    public long used() {
        return used;
    }

    public long max() {
        return max;
    }
}
