package lossmeter.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;

import lossmeter.server.aof.AofRewriteFile;
import lossmeter.server.aof.AofWriter;
import lossmeter.server.aof.RewriteBuffer;
import lossmeter.server.keyspace.Database;
import lossmeter.server.rdb.RdbWriter;

/**
 * BGREWRITEAOF in the classic single-file design. On the event loop: a snapshot of every
 * database and, at the same instant, a {@link RewriteBuffer} that from then on receives every
 * byte written to the live AOF. On the job's thread: the snapshot written to
 * {@code temp-rewriteaof-<pid>.aof}, then most of the rewrite buffer appended, then fsync. Back
 * on the loop ({@link #finish}): the small remainder appended, fsync, rename over the AOF,
 * directory fsync, and the writer switched to the new file. A crash at any point leaves either
 * the old complete AOF or the new complete one; a temp file left by a kill is removed at start.
 */
final class AofRewrite extends BackgroundJob {
    static final Pattern TEMP_FILE = Pattern.compile("temp-rewriteaof-\\d+\\.aof");
    /** The thread stops draining once a drain finds less than this: the loop's share stays small. */
    private static final long SMALL_REMAINDER = 64 * 1024;
    private static final int MAX_DRAIN_ROUNDS = 100;

    private final Database[] snapshot;
    private final RewriteBuffer buffer;
    private final Path dir;
    private final Path target;
    private final Path tmp;
    private final AofRewriteFile.Options options;
    private FileChannel ch;
    private long size;
    private long drainedByThread;
    long drainedByLoop;

    /** {@code buffer} is null when no AOF is being written (BGREWRITEAOF with appendonly no). */
    AofRewrite(Database[] snapshot, RewriteBuffer buffer, Path dir, Path target, AofRewriteFile.Options options, Runnable wakeup) {
        super("aof-rewrite", wakeup);
        this.snapshot = snapshot;
        this.buffer = buffer;
        this.dir = dir;
        this.target = target;
        this.tmp = dir.resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + ".aof");
        this.options = options;
    }

    @Override
    void work() throws IOException {
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): " + RdbWriter.reason(e), e);
        }
        try {
            size = AofRewriteFile.write(snapshot, ch, options, this::cancelled);
            // Most of what arrived meanwhile is appended here, so the loop's final step stays short.
            if (buffer != null) {
                for (int round = 0; round < MAX_DRAIN_ROUNDS && !cancelled(); round++) {
                    long n = append(buffer.drain());
                    drainedByThread += n;
                    if (n < SMALL_REMAINDER) break;
                }
            }
            ch.force(false);
        } catch (IOException e) {
            throw new IOException("Write error writing append only file on disk: " + RdbWriter.reason(e), e);
        }
    }

    private long append(List<byte[]> chunks) throws IOException {
        long n = 0;
        for (byte[] c : chunks) {
            ByteBuffer b = ByteBuffer.wrap(c);
            while (b.hasRemaining()) n += ch.write(b);
        }
        size += n;
        return n;
    }

    /**
     * On the event loop, after the thread ended well: the rest of the rewrite buffer, rename,
     * directory fsync (the fsyncs here only when {@code syncOnLoop}, i.e. under always: else the
     * writer's background thread does them, so the loop never waits for the disk), then {@code aof} (may be null) appends to the new file. Before
     * the writer switches, every byte it wrote to the old file is in the new one.
     */
    void finish(AofWriter aof, boolean syncOnLoop) throws IOException {
        String step = "write";
        long synced;
        try {
            synced = size;
            if (buffer != null) {
                drainedByLoop = append(buffer.drain());
                // Under always the tail's writes were acknowledged as synced: they must be on disk before
                // the rename makes this file the AOF. Otherwise the writer's next background fsync covers it.
                step = "fsync";
                if (drainedByLoop > 0 && syncOnLoop) {
                    ch.force(false);
                    synced = size;
                }
            }
            step = "rename";
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("Error trying to " + step + " the temporary AOF file " + tmp.getFileName() + " into "
                    + target.getFileName() + ": " + RdbWriter.reason(e), e);
        }
        // From here the new file is the AOF; a failing directory fsync only weakens the rename's durability.
        boolean dirOnLoop = syncOnLoop || aof == null;
        try {
            if (dirOnLoop) RdbWriter.fsyncDirectory(dir);
        } finally {
            if (aof != null) aof.switchTo(ch, size, synced, !dirOnLoop);
            else ch.close();
            ch = null;
        }
    }

    long size() {
        return size;
    }

    long drainedByThread() {
        return drainedByThread;
    }

    @Override
    void cleanUp() {
        try {
            if (ch != null) ch.close();
        } catch (IOException ignored) {
            // Closing a file we are about to delete.
        }
        ch = null;
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // The next start removes it.
        }
    }

    /** Removes the temp files killed rewrites left in {@code dir}; returns their names. */
    static List<String> removeLeftoverTempFiles(Path dir) throws IOException {
        List<String> removed = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) return removed;
        try (var ds = Files.newDirectoryStream(dir, p -> TEMP_FILE.matcher(p.getFileName().toString()).matches())) {
            for (Path p : ds) if (Files.isRegularFile(p) && Files.deleteIfExists(p)) removed.add(p.getFileName().toString());
        }
        return removed;
    }
}
