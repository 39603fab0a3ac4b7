package lossmeter.server.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.BooleanSupplier;

/**
 * A file channel that refuses to go on once its job is cancelled and, when asked to, fsyncs every {@value #INTERVAL} bytes written through it
 * ({@code aof-rewrite-incremental-fsync}): a big rewrite then never leaves gigabytes of dirty
 * pages for one final fsync to push out while the disk is shared with the live AOF.
 */
final class SyncingChannel implements WritableByteChannel {
    static final long INTERVAL = 32L * 1024 * 1024;

    private final FileChannel ch;
    private final boolean incremental;
    private final BooleanSupplier cancelled;
    private long written;
    private long syncedAt;

    SyncingChannel(FileChannel ch, boolean incremental, BooleanSupplier cancelled) {
        this.ch = ch;
        this.incremental = incremental;
        this.cancelled = cancelled;
    }

    /** Also where a cancelled rewrite stops: at its next buffer of output. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (cancelled.getAsBoolean()) throw new IOException("rewrite cancelled");
        int n = 0;
        while (src.hasRemaining()) n += ch.write(src);
        written += n;
        if (incremental && written - syncedAt >= INTERVAL) {
            ch.force(false);
            syncedAt = written;
        }
        return n;
    }

    long written() {
        return written;
    }

    @Override
    public boolean isOpen() {
        return ch.isOpen();
    }

    @Override
    public void close() {
        // The caller owns the file channel.
    }
}
