package lossmeter.server.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import lossmeter.server.config.FsyncPolicy;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.log.Log;
import lossmeter.server.resp.ReplyBuffer;

/**
 * The append-only file's write path, as Redis runs it. Commands are appended to an in-memory
 * buffer as they execute; {@link #flush(boolean)} runs once per event-loop iteration, before any
 * reply of that iteration reaches a socket, and writes the whole buffer with one write().
 * <ul>
 *   <li>{@code always}: fdatasync right after that write, still before the replies (group commit).
 *   <li>{@code everysec}: a background thread fsyncs about once a second; while it is still busy
 *       the write is postponed, for at most two seconds.
 *   <li>{@code no}: the kernel decides; fsync only at shutdown.
 * </ul>
 * A reply to a write leaves only once its bytes are in the file: when the everysec postponement or
 * a write error keeps them in the buffer, the event loop holds those replies (Redis 7.0 sends them
 * anyway, so a kill while an fsync is slow loses acknowledged writes there). A process kill
 * therefore never loses an acknowledged write; only losing the page cache can.
 * Write and fsync errors follow Redis: exit under {@code always}, otherwise keep the buffer, refuse
 * writes with MISCONF and retry every second. The everysec fsyncs run on a {@link BackgroundFsync}.
 */
public final class AofWriter implements AutoCloseable {
    /** What to do when the policy says the process must die (tests replace it). */
    @FunctionalInterface
    public interface Exit {
        void exit(int status);
    }

    private static final long POSTPONE_LIMIT_MS = 2000;

    private final ServerConfig cfg;
    private final Log log;
    private final Path path;
    private final Exit exit;
    /** The open AOF; null while the first rewrite after CONFIG SET appendonly yes builds it. */
    private FileChannel ch;
    private final ReplyBuffer buf = new ReplyBuffer(64 * 1024);
    private final BackgroundFsync bio;

    private int selectedDb = -1;
    private long currentSize;
    private long baseSize;
    /** Offset up to which a completed or scheduled fsync covers the file. */
    private long fsyncedOffset;
    private long lastFsyncMillis = System.currentTimeMillis();
    private long postponedSince;
    private long delayedFsync;
    private long flushes;
    private long lastTimestampSec;
    private final AofWriteErrors writeErrors;

    private AofWriter(ServerConfig cfg, Log log, Path path, FileChannel ch, Exit exit) throws IOException {
        this.cfg = cfg;
        this.log = log;
        this.path = path;
        this.ch = ch;
        this.exit = exit;
        this.currentSize = ch == null ? 0 : ch.size();
        this.baseSize = currentSize;
        this.fsyncedOffset = currentSize;
        if (ch != null) ch.position(currentSize);
        this.bio = new BackgroundFsync(log);
        this.writeErrors = new AofWriteErrors(log);
    }

    /**
     * Opens the AOF for appending, creating it if needed. A new file is fsynced and so is its
     * directory, so that the file itself survives a power loss before the first write is acked.
     */
    public static AofWriter open(ServerConfig cfg, Log log, Path path, Exit exit) throws IOException {
        boolean created = !Files.exists(path);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (created) {
            ch.force(true);
            Durable.fsyncDirectory(path.toAbsolutePath().getParent());
        }
        return new AofWriter(cfg, log, path, ch, exit);
    }

    /**
     * A writer with no file yet (CONFIG SET appendonly yes): what commands append goes only to the
     * rewrite buffer until the rewrite that creates the file calls {@link #switchTo}. As in Redis,
     * replies are not held meanwhile: the AOF promises nothing before it exists.
     */
    public static AofWriter waitingForRewrite(ServerConfig cfg, Log log, Path path, Exit exit) throws IOException {
        return new AofWriter(cfg, log, path, null, exit);
    }

    public Path path() {
        return path;
    }

    /** True until the first rewrite gave this writer its file. */
    public boolean waitingForRewrite() {
        return ch == null;
    }

    // ---- rewrites ------------------------------------------------------------------------------

    private RewriteBuffer rewriteBuffer;
    /** Bytes at the front of {@link #buf} fed before the rewrite's snapshot: the snapshot holds them already. */
    private int rewriteSkip;

    /**
     * From now on, every byte this writer writes to the file (and, while waiting for the first
     * rewrite, every byte fed) is also appended to {@code rb}. Call it on the event loop right
     * where the snapshot is taken: commands fed before it are in the snapshot, later ones in
     * {@code rb}. The next command starts with SELECT, so the buffer makes sense on its own.
     */
    public void startRewriteBuffer(RewriteBuffer rb) {
        rewriteBuffer = rb;
        rewriteSkip = buf.length();
        resetSelectedDb();
    }

    public void stopRewriteBuffer() {
        rewriteBuffer = null;
        rewriteSkip = 0;
    }

    /** Hands the first {@code n} bytes of the buffer (about to be consumed) to the rewrite buffer. */
    private void copyToRewrite(int n) {
        RewriteBuffer rb = rewriteBuffer;
        int skip = Math.min(rewriteSkip, n);
        rewriteSkip -= skip;
        if (rb != null && n > skip) rb.append(buf.array(), buf.start() + skip, n - skip);
    }

    /**
     * The end of a rewrite, on the event loop: {@code newFile} (already renamed over the AOF,
     * {@code size} bytes long, fsynced up to {@code syncedUpTo}, holding everything written so
     * far) becomes the file appended to; the policy's next fsync covers the rest. With
     * {@code fsyncDirInBackground} (everysec, no) the directory fsync that makes the rename
     * durable runs on the background fsync thread rather than delaying the event loop. The old channel is closed by the background fsync thread, after any fsync
     * of it still in flight, so that fsync never meets a closed channel.
     */
    public void switchTo(FileChannel newFile, long size, long syncedUpTo, boolean fsyncDirInBackground) throws IOException {
        newFile.position(size);
        if (bio.damaged()) {
            bio.repaired();
            log.warning("AOF rewritten from memory after a failed fsync, Redis can write again.");
        }
        FileChannel old = ch;
        ch = newFile;
        currentSize = size;
        baseSize = size;
        fsyncedOffset = syncedUpTo;
        lastFsyncMillis = System.currentTimeMillis();
        stopRewriteBuffer();
        if (fsyncDirInBackground) {
            // The rename is durable once the directory is: queued like a file fsync, it fails like one.
            bio.fsyncDirectory(path.toAbsolutePath().getParent());
        }
        if (old != null) bio.close(old);
    }

    // ---- feeding -------------------------------------------------------------------------------

    /** Appends one command, preceded by SELECT when the database differs from the last one written. */
    public void feed(int db, byte[][] argv) {
        if (cfg.aofTimestampEnabled) {
            long sec = System.currentTimeMillis() / 1000;
            if (sec > lastTimestampSec) {
                buf.text("#TS:" + sec + "\r\n");
                lastTimestampSec = sec;
            }
        }
        if (db != selectedDb) {
            buf.command(SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
            selectedDb = db;
        }
        buf.command(argv);
    }

    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    // ---- flushing ------------------------------------------------------------------------------

    /**
     * Writes the buffer and applies the fsync policy. Called before the replies of the current
     * event-loop iteration are written; {@code force} ignores the everysec postponement (shutdown).
     * Returns true when nothing is left buffered: only then may replies to the writes in it go out.
     */
    public boolean flush(boolean force) {
        flushBuffer(force);
        return buf.isEmpty();
    }

    private void flushBuffer(boolean force) {
        if (ch == null) {
            // No file until the first rewrite ends: the rewrite buffer is the only copy.
            copyToRewrite(buf.length());
            buf.clear();
            return;
        }
        if (bio.damaged()) {
            // The file past its last good fsync is unknown, so nothing more goes into it (bytes
            // after a lost stretch would make it unreadable). What the buffer holds is in memory,
            // and the rewrite that repairs the log writes it; new writes are refused until then.
            copyToRewrite(buf.length());
            buf.clear();
            return;
        }
        long now = System.currentTimeMillis();
        FsyncPolicy policy = cfg.appendfsync;
        boolean syncInProgress = false;
        if (buf.isEmpty()) {
            // Writes that stopped within the last second still get their fsync: without this an
            // idle server would keep acknowledged data unsynced indefinitely.
            if (policy == FsyncPolicy.EVERYSEC && fsyncedOffset != currentSize && now - lastFsyncMillis >= 1000
                    && !fsyncInProgress()) {
                trySync(policy, now, false);
            }
            return;
        }
        if (policy == FsyncPolicy.EVERYSEC) syncInProgress = fsyncInProgress();
        if (policy == FsyncPolicy.EVERYSEC && !force && syncInProgress) {
            if (postponedSince == 0) {
                postponedSince = now;
                return;
            } else if (now - postponedSince < POSTPONE_LIMIT_MS) {
                return;
            }
            delayedFsync++;
            log.notice("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without "
                    + "waiting for fsync to complete, this may slow down Redis.");
        }
        postponedSince = 0;
        long expected = buf.length();
        long written = 0;
        IOException error = null;
        ByteBuffer bb = buf.asByteBuffer();
        try {
            while (bb.hasRemaining()) written += ch.write(bb);
        } catch (IOException e) {
            error = e;
        }
        if (error != null) {
            String reason = AofWriteErrors.message(error);
            // While the disk stays full this repeats every iteration: log it at most every 30 s, as Redis does.
            boolean logNow = writeErrors.logNow(now);
            if (written == 0) {
                if (logNow) log.warning("Error writing to the AOF file: " + reason);
            } else {
                if (logNow) {
                    log.warning("Short write while writing to the AOF file: (nwritten=" + written + ", expected=" + expected + ")");
                }
                // Take the partial command back out, so the file ends on a whole command.
                try {
                    ch.truncate(currentSize);
                    ch.position(currentSize);
                    written = 0;
                } catch (IOException te) {
                    log.warning("Could not remove short write from the append-only file.  Redis may refuse to load the "
                            + "AOF the next time it starts.  ftruncate: " + AofWriteErrors.message(te));
                }
                reason = AofWriteErrors.shortWrite(reason);
            }
            if (policy == FsyncPolicy.ALWAYS) {
                log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
                exit.exit(1);
                return;
            }
            if (written > 0) {
                currentSize += written;
                copyToRewrite((int) written);
                buf.consume((int) written);
            }
            writeErrors.failed(reason, now);
            return;
        }
        writeErrors.succeeded();
        currentSize += written;
        copyToRewrite(buf.length());
        buf.clear();
        flushes++;
        trySync(policy, now, syncInProgress);
    }

    private void trySync(FsyncPolicy policy, long now, boolean syncInProgress) {
        if (cfg.noAppendfsyncOnRewrite && rewriteInProgress) return;
        if (cfg.unsafeSkipFsync) return;
        if (policy == FsyncPolicy.ALWAYS) {
            if (cfg.unsafeFsyncEvery > 1 && flushes % cfg.unsafeFsyncEvery != 0) return;
            if (cfg.unsafeReplyBeforeFsync && !deferringSync) {
                syncDeferred = true;
                return;
            }
            try {
                ch.force(false);
            } catch (IOException e) {
                log.warning("Can't persist AOF for fsync error when the AOF fsync policy is 'always': " + AofWriteErrors.message(e)
                        + ". Exiting...");
                exit.exit(1);
                return;
            }
            lastFsyncMillis = now;
            fsyncedOffset = currentSize;
        } else if (policy == FsyncPolicy.EVERYSEC && now - lastFsyncMillis >= 1000) {
            if (!syncInProgress) backgroundFsync();
            lastFsyncMillis = now;
        }
    }

    private boolean syncDeferred;
    private boolean deferringSync;

    /**
     * The unsafe switch {@code unsafe-reply-before-fsync}: the fdatasync that {@link #flush} left
     * out so the replies could go first. Does nothing unless it did.
     */
    public void syncDeferred() {
        if (!syncDeferred) return;
        syncDeferred = false;
        deferringSync = true;
        try {
            trySync(FsyncPolicy.ALWAYS, System.currentTimeMillis(), false);
        } finally {
            deferringSync = false;
        }
    }

    private void backgroundFsync() {
        fsyncedOffset = currentSize;
        bio.fsync(ch); // the file of this moment: a rewrite may switch files before the job runs
    }

    /** Called on the background thread after each background fsync (the event loop wakes up to flush). */
    public void onBackgroundFsyncDone(Runnable r) {
        bio.onDone(r);
    }

    public boolean fsyncInProgress() {
        return bio.inProgress();
    }

    /**
     * Called from the server cron: finishes a postponed write, and once a second retries a write
     * that failed, so that the error state ends as soon as the disk accepts data again.
     */
    public void cron() {
        if (postponedSince != 0) flushBuffer(false);
        if (writeErrors.retryDue(System.currentTimeMillis())) flushBuffer(false);
    }

    /** Graceful shutdown: write everything and fsync, whatever the policy. */
    public void flushAndSync() throws IOException {
        if (ch == null) return;
        flushBuffer(true);
        if (!buf.isEmpty()) throw new IOException("the AOF buffer could not be written: " + writeErrors.error());
        log.notice("Calling fsync() on the AOF file.");
        ch.force(false);
        fsyncedOffset = currentSize;
    }

    @Override
    public void close() throws IOException {
        bio.shutdown();
        if (ch != null) ch.close();
    }

    // ---- state for commands and INFO -----------------------------------------------------------

    /** Null while writes may proceed; otherwise the MISCONF text (without the error code). */
    public String writeDeniedReason() {
        if (!writeErrors.ok()) return "Errors writing to the AOF file: " + writeErrors.error();
        if (!bio.ok() || bio.damaged()) return "Errors writing to the AOF file: " + bio.error();
        return null;
    }

    private volatile boolean rewriteInProgress;

    public void rewriteInProgress(boolean b) {
        rewriteInProgress = b;
    }

    public boolean lastWriteOk() {
        return writeErrors.ok() && bio.ok() && !bio.damaged();
    }

    /** A failed fsync left the file's tail unknown: writes wait until a rewrite replaces it. */
    public boolean needsRewriteAfterFsyncError() {
        return bio.damaged();
    }

    public long currentSize() {
        return currentSize;
    }

    public long baseSize() {
        return baseSize;
    }

    public int bufferLength() {
        return buf.length();
    }

    public int pendingBioFsync() {
        return bio.pending();
    }

    public long delayedFsync() {
        return delayedFsync;
    }

    /** Forgets which database was selected, so the next command is preceded by SELECT. */
    public void resetSelectedDb() {
        selectedDb = -1;
    }
}
