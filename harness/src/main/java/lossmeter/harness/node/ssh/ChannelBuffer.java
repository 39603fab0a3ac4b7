package lossmeter.harness.node.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * What a channel sends, buffered for whichever thread reads it next. jsch hands a channel's data
 * to an OutputStream from its session thread; its own piped input stream fails once the thread that
 * last read it has ended (the threads of an await helper do), so channels that live across
 * threads read through this instead. {@link #close()} (jsch calls it at the channel's end) makes
 * reads return end of input after the buffered bytes.
 */
final class ChannelBuffer extends OutputStream {
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private boolean closed;

    @Override
    public synchronized void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (end + len > buf.length) {
            int size = end - start;
            byte[] next = size + len > buf.length ? new byte[Math.max(buf.length * 2, size + len)] : buf;
            System.arraycopy(buf, start, next, 0, size);
            buf = next;
            start = 0;
            end = size;
        }
        System.arraycopy(b, off, buf, end, len);
        end += len;
        notifyAll();
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean closed() {
        return closed;
    }

    /**
     * The bytes up to and including the next {@code \n}, waiting up to {@code millis}; null at end of
     * input with nothing buffered. A partial last line at end of input is returned as it is.
     */
    synchronized byte[] readLine(long millis) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') return take(i + 1 - start);
            }
            if (closed) return end > start ? take(end - start) : null;
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new IOException("timed out");
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        return out;
    }

    /** A blocking input stream over the buffer, usable from any thread. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                synchronized (ChannelBuffer.this) {
                    try {
                        while (start == end && !closed) ChannelBuffer.this.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted");
                    }
                    if (start == end) return -1;
                    int n = Math.min(len, end - start);
                    System.arraycopy(buf, start, b, off, n);
                    start += n;
                    return n;
                }
            }

            @Override
            public int available() {
                synchronized (ChannelBuffer.this) {
                    return end - start;
                }
            }

            @Override
            public void close() {
                ChannelBuffer.this.close();
            }
        };
    }
}
