package lossmeter.server.rdb;

import java.io.IOException;

import lossmeter.server.command.CommandError;
import lossmeter.server.command.Engine;
import lossmeter.server.command.Persistence;

/**
 * The RDB side of {@link Persistence}: foreground SAVE with Redis's bookkeeping (dirty counter,
 * LASTSAVE, {@code rdb_last_bgsave_status}); everything about AOF rewrites is delegated. Runs on
 * the event-loop thread, like the commands that call it.
 *
 * <p>The only class of this package that knows the command layer; the format classes depend on
 * keyspace, config and log alone, so that the AOF code may use them without a package cycle.
 */
public final class RdbPersistence implements Persistence {
    private final Engine engine;
    private final Persistence rewrites;
    private long dirtyAtLastSave;
    private boolean lastBgsaveOk = true;

    /** {@code rewrites} answers BGREWRITEAOF and the aof_* fields ({@link Persistence#NONE} refuses them). */
    public RdbPersistence(Engine engine, Persistence rewrites) {
        this.engine = engine;
        this.rewrites = rewrites;
    }

    /** SAVE: replies +OK once the dump is renamed into place and its directory fsynced. */
    @Override
    public void save() {
        try {
            saveNow();
        } catch (IOException e) {
            throw new CommandError(e.getMessage());
        }
    }

    /**
     * Redis's rdbSave: the whole dataset, durably, now. On success the changes counter restarts,
     * LASTSAVE moves and the last save counts as ok; a failure changes none of them (as in Redis,
     * a failed SAVE leaves {@code rdb_last_bgsave_status} as it was) and is logged and rethrown.
     */
    public void saveNow() throws IOException {
        long dirty = engine.dirty;
        try {
            RdbWriter.save(engine.dbs, engine.cfg.dirPath(), engine.cfg.dbfilename, RdbWriter.Options.of(engine.cfg));
        } catch (IOException e) {
            engine.log.warning(e.getMessage());
            throw e;
        }
        engine.log.notice("DB saved on disk");
        dirtyAtLastSave = dirty;
        engine.lastSaveUnix = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
    }

    /**
     * What Redis 7.0's FLUSHALL does when save points are configured: an rdbSave of the emptied
     * dataset, after which the changes counter is restored (so the FLUSHALL itself still counts).
     * A failure is logged by {@link #saveNow} and, as in Redis, does not fail the FLUSHALL.
     */
    @Override
    public void afterFlushAll() {
        if (engine.cfg.save.isEmpty()) return;
        long kept = dirtyAtLastSave;
        try {
            saveNow();
        } catch (IOException e) {
            return; // logged by saveNow; Redis ignores rdbSave's result here
        }
        dirtyAtLastSave = kept;
    }

    /** DEBUG RELOAD (Redis 7.0, no options): SAVE, empty every database, load the dump back. */
    @Override
    public void debugReload() {
        try {
            saveNow();
        } catch (IOException e) {
            throw new CommandError("Error trying to save the RDB dump");
        }
        engine.flushAll();
        try {
            RdbLoader.load(engine.cfg.dirPath().resolve(engine.cfg.dbfilename), engine.dbs, engine.log,
                    RdbLoader.Options.of(engine.cfg, null));
        } catch (RdbException e) {
            // Redis exits here; the dump was written a moment ago, so this means the disk changed it.
            RdbLoader.logRefusal(engine.log, e);
            throw new CommandError("Error trying to load the RDB dump, check server logs.");
        } catch (IOException e) {
            engine.log.warning("Error loading the RDB dump: " + RdbWriter.reason(e));
            throw new CommandError("Error trying to load the RDB dump, check server logs.");
        }
        engine.log.warning("DB reloaded by DEBUG RELOAD");
    }

    @Override
    public String bgsave(boolean schedule) {
        throw new CommandError("BGSAVE is not supported by this server yet");
    }

    @Override
    public boolean bgsaveInProgress() {
        return false;
    }

    @Override
    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    @Override
    public long dirtyAtLastSave() {
        return dirtyAtLastSave;
    }

    // ---- AOF rewrites: not ours ------------------------------------------------------------------

    @Override
    public String rewriteAof() {
        return rewrites.rewriteAof();
    }

    @Override
    public boolean rewriteInProgress() {
        return rewrites.rewriteInProgress();
    }

    @Override
    public boolean rewriteScheduled() {
        return rewrites.rewriteScheduled();
    }

    @Override
    public boolean lastRewriteOk() {
        return rewrites.lastRewriteOk();
    }

    @Override
    public long rewrites() {
        return rewrites.rewrites();
    }

    @Override
    public void cron() {
        rewrites.cron();
    }
}
