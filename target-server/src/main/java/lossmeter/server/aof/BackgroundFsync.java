package lossmeter.server.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import lossmeter.server.log.Log;

/**
 * The AOF's background fsync thread ({@code bio_aof_fsync}, as in Redis). One daemon thread runs,
 * in the order they were queued, the fsyncs the everysec policy schedules, the directory fsync
 * that makes a rewrite's rename durable, and the closing of the file a rewrite replaced (after any
 * fsync of it still queued, so that fsync never meets a closed channel). A failed fsync is
 * remembered until one succeeds; meanwhile the writer refuses writes with MISCONF.
 */
final class BackgroundFsync {
    private final Log log;
    private final ExecutorService bio;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Runnable done = () -> { };
    private volatile boolean ok = true;
    private volatile String error = "";
    /** Set by any failed fsync, cleared only when a rewrite replaces the file (see {@link #damaged()}). */
    private volatile boolean damaged;

    BackgroundFsync(Log log) {
        this.log = log;
        this.bio = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bio_aof_fsync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues an fsync of {@code file}; the {@link #onDone} callback runs after it. */
    void fsync(FileChannel file) {
        pending.incrementAndGet();
        bio.execute(() -> {
            try {
                file.force(false);
                ok = true;
            } catch (IOException e) {
                if (ok) log.warning("Fail to fsync the AOF file: " + AofWriteErrors.message(e));
                error = AofWriteErrors.message(e);
                ok = false;
                damaged = true;
            } finally {
                pending.decrementAndGet();
                done.run();
            }
        });
    }

    /** Queues the fsync of the AOF's directory after a rewrite: it fails like a file fsync. */
    void fsyncDirectory(Path dir) {
        pending.incrementAndGet();
        bio.execute(() -> {
            try {
                Durable.fsyncDirectory(dir);
            } catch (IOException e) {
                log.warning("Fail to fsync the AOF directory after a rewrite: " + AofWriteErrors.message(e));
                error = AofWriteErrors.message(e);
                ok = false;
                damaged = true;
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** Queues the closing of the file a rewrite replaced, behind any fsync of it. */
    void close(FileChannel old) {
        bio.execute(() -> {
            try {
                old.close();
            } catch (IOException e) {
                log.warning("Error closing the old AOF after a rewrite: " + AofWriteErrors.message(e));
            }
        });
    }

    /** Called on the background thread after each file fsync. */
    void onDone(Runnable r) {
        done = r;
    }

    boolean inProgress() {
        return pending.get() != 0;
    }

    /** Fsyncs queued or running. */
    int pending() {
        return pending.get();
    }

    /** False from a failed fsync until the next one succeeds. */
    boolean ok() {
        return ok;
    }

    /**
     * True from a failed fsync until a rewrite replaces the file. Linux drops the pages a failed
     * fsync could not write, so the file past its last good fsync is unknown — possibly zeros —
     * and a later fsync that succeeds does not bring those bytes back: only a log rewritten from
     * memory is whole again.
     */
    boolean damaged() {
        return damaged;
    }

    /** A rewrite replaced the file: what a failed fsync lost is in it again. */
    void repaired() {
        damaged = false;
    }

    /** The last failed fsync's error text. */
    String error() {
        return error;
    }

    /** Lets queued jobs finish, waiting at most five seconds. */
    void shutdown() {
        bio.shutdown();
        try {
            bio.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
