package lossmeter.server.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import lossmeter.server.keyspace.Database;
import lossmeter.server.rdb.RdbWriter;

/**
 * BGSAVE: the snapshot taken on the event loop written as {@code dbfilename} by the durable
 * sequence (temp file {@code temp-bg-<pid>.rdb}, fsync, rename, directory fsync) on its own
 * thread. A failure or a kill at any point leaves the previous dump in place.
 */
final class BgSave extends BackgroundJob {
    private final Database[] snapshot;
    private final Path dir;
    private final String dbfilename;
    private final String tmpName = "temp-bg-" + ProcessHandle.current().pid() + ".rdb";
    private final RdbWriter.Options options;
    /** The changes counter at the snapshot: what a successful save makes "saved". */
    final long dirtyAtStart;

    BgSave(Database[] snapshot, Path dir, String dbfilename, RdbWriter.Options options, long dirtyAtStart, Runnable wakeup) {
        super("bgsave", wakeup);
        this.snapshot = snapshot;
        this.dir = dir;
        this.dbfilename = dbfilename;
        this.options = options;
        this.dirtyAtStart = dirtyAtStart;
    }

    @Override
    void work() throws IOException {
        RdbWriter.save(snapshot, dir, dbfilename, options, tmpName, this::cancelled);
    }

    @Override
    void cleanUp() {
        try {
            Files.deleteIfExists(dir.resolve(tmpName));
        } catch (IOException e) {
            // The next start removes it.
        }
    }
}
