package lossmeter.harness.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a results dir for as long as a command writes into it: a file lock (fcntl,
 * released by the kernel when the holder dies, however it dies) on {@code DIR/.lock}, which also
 * holds the holder's pid so a refused command can name it. The file stays; only the lock matters.
 * {@code run} takes it; any command that writes a results dir should.
 */
public final class ResultsDirLock implements AutoCloseable {
    public static final String FILE = ".lock";

    /** The dir is locked by another live command; the message names its pid. */
    public static final class BusyException extends Exception {
        public BusyException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;
    private final String previousHolder;

    private ResultsDirLock(FileChannel channel, FileLock lock, String previousHolder) {
        this.channel = channel;
        this.lock = lock;
        this.previousHolder = previousHolder;
    }

    /** Locks {@code dir} (creating it) or fails at once naming the holder; never waits. */
    public static ResultsDirLock acquire(Path dir) throws BusyException, IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM (a test running two commands)
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        String holder = content(ch);
        if (l == null) {
            ch.close();
            throw new BusyException(dir + " is in use by another lossmeter run ("
                    + (holder.isEmpty() ? "it is just starting" : holder) + "); wait for it to end, or choose another --out");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new ResultsDirLock(ch, l, holder.isEmpty() ? null : holder);
    }

    /** Who held the lock before and is gone now (e.g. {@code pid 1234}), or null when nobody did. */
    public String previousHolder() {
        return previousHolder;
    }

    private static String content(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        int n = ch.read(b, 0);
        return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
