package lossmeter.server.persistence;

import java.io.IOException;
import java.nio.file.Path;

import lossmeter.server.aof.AofWriter;
import lossmeter.server.command.CommandError;
import lossmeter.server.command.Dispatcher;
import lossmeter.server.command.Engine;
import lossmeter.server.command.Persistence;
import lossmeter.server.config.SavePoint;
import lossmeter.server.keyspace.Database;
import lossmeter.server.rdb.RdbWriter;

/**
 * Everything that saves the dataset, as Redis runs it: SAVE, BGSAVE and timed save points,
 * BGREWRITEAOF and automatic rewrites, turning the AOF on and off at runtime, DEBUG RELOAD and
 * LOADAOF, the save before shutdown, and the MISCONF state after a failed background save. At
 * most one background job (a {@link BgSave} or an {@link AofRewrite}) runs at a time, as Redis
 * allows one child; the other kind waits as "scheduled". What is particular to rewrites and to
 * the AOF writer's life is in {@link AofRewrites}. Every method runs on the event loop.
 */
public final class PersistenceService implements Persistence {
    static final String BGSAVE_ERROR = "Redis is configured to save RDB snapshots, but it's currently unable to persist to "
            + "disk. Commands that may modify the data set are disabled, because this instance is configured to report "
            + "errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis "
            + "logs for details about the RDB error.";

    private final Engine engine;
    private final Dispatcher dispatcher;
    private final Runnable wakeup;
    private final AofRewrites rewrites;
    private BackgroundJob job;
    private boolean rewriteScheduled;
    private boolean bgsaveScheduled;
    private long dirtyAtLastSave;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTryMillis;
    private long lastBgsaveSeconds = -1;
    private long rdbSaves;

    /** {@code wakeup} wakes the event loop when a job ends; {@code exit} is the AOF writer's way to die. */
    public PersistenceService(Engine engine, Dispatcher dispatcher, Runnable wakeup, AofWriter.Exit exit) {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.wakeup = wakeup;
        this.rewrites = new AofRewrites(engine, wakeup, exit);
    }

    /** Removes what killed saves and rewrites left in {@code dir}; called at startup before anything loads. */
    public static void removeLeftoverTempFiles(Path dir, lossmeter.server.log.Log log) {
        try {
            for (String f : RdbWriter.removeLeftoverTempFiles(dir)) log.notice("Removed leftover temp RDB file " + f);
            for (String f : AofRewrite.removeLeftoverTempFiles(dir)) log.notice("Removed leftover temp AOF rewrite file " + f);
        } catch (IOException e) {
            log.warning("Could not remove leftover temp files in '" + dir + "': " + e.getMessage());
        }
    }

    // ---- SAVE ------------------------------------------------------------------------------------

    /** SAVE: replies +OK once the dump is renamed into place and its directory fsynced. */
    @Override
    public void save() {
        if (job instanceof BgSave) throw new CommandError("Background save already in progress");
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
        savedAt(dirty);
    }

    private void savedAt(long dirty) {
        dirtyAtLastSave = dirty;
        engine.lastSaveUnix = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
        rdbSaves++;
    }

    /**
     * What Redis 7.0's FLUSHALL does when save points are configured: an rdbSave of the emptied
     * dataset, after which the changes counter is restored (so the FLUSHALL itself still counts).
     * A running BGSAVE is killed first, as Redis does: it would write the data just flushed.
     */
    @Override
    public void afterFlushAll() {
        if (job instanceof BgSave) {
            killJob();
            lastBgsaveTryMillis = 0;
        }
        if (engine.cfg.save.isEmpty()) return;
        long kept = dirtyAtLastSave;
        try {
            saveNow();
        } catch (IOException e) {
            return; // logged by saveNow; Redis ignores rdbSave's result here
        }
        dirtyAtLastSave = kept;
    }

    // ---- BGSAVE / BGREWRITEAOF -------------------------------------------------------------------

    @Override
    public String bgsave(boolean schedule) {
        if (job instanceof BgSave) throw new CommandError("Background save already in progress");
        if (job != null) {
            if (!schedule) {
                throw new CommandError("Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE "
                        + "in order to schedule a BGSAVE whenever possible.");
            }
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        startBgsave();
        return "Background saving started";
    }

    private void startBgsave() {
        bgsaveScheduled = false;
        lastBgsaveTryMillis = System.currentTimeMillis();
        BgSave b = new BgSave(snapshot(), engine.cfg.dirPath(), engine.cfg.dbfilename, RdbWriter.Options.of(engine.cfg),
                engine.dirty, wakeup);
        job = b;
        b.start();
        engine.log.notice("Background saving started");
    }

    @Override
    public String rewriteAof() {
        if (job instanceof AofRewrite) throw new CommandError("Background append only file rewriting already in progress");
        if (job != null) {
            rewriteScheduled = true;
            return "Background append only file rewriting scheduled";
        }
        startRewrite();
        return "Background append only file rewriting started";
    }

    /** The snapshot and the rewrite buffer start at the same instant: nothing falls between them. */
    private void startRewrite() {
        rewriteScheduled = false;
        AofRewrite r = rewrites.prepare(snapshot());
        job = r;
        rewrites.start(r);
    }

    private Database[] snapshot() {
        Database[] snap = new Database[engine.dbs.length];
        for (int i = 0; i < snap.length; i++) snap[i] = engine.dbs[i].snapshot();
        return snap;
    }

    // ---- finishing jobs --------------------------------------------------------------------------

    /** Right before the loop writes the AOF and the replies: a finished job is completed at once. */
    @Override
    public void beforeSleep() {
        if (job != null && job.done()) finishJob();
    }

    @Override
    public void cron() {
        // While loading, the cron only serves clients: a save now would write a half-loaded dataset.
        if (engine.loading) return;
        if (job != null && job.done()) finishJob();
        if (job == null && rewriteScheduled) startRewrite();
        if (job == null && bgsaveScheduled) startBgsave();
        if (job == null) checkSavePoints();
        if (job == null && rewrites.repairDue()) startRewrite();
        if (job == null && rewrites.autoRewriteDue()) startRewrite();
    }

    private void finishJob() {
        BackgroundJob j = job;
        job = null;
        if (j instanceof BgSave b) finishBgsave(b);
        else if (j instanceof AofRewrite r) rewrites.finish(r);
    }

    private void finishBgsave(BgSave b) {
        lastBgsaveSeconds = b.seconds();
        if (b.failure() == null) {
            engine.log.notice("Background saving terminated with success");
            savedAt(b.dirtyAtStart);
            return;
        }
        b.cleanUp();
        engine.log.warning(b.failure().getMessage());
        engine.log.warning("Background saving error");
        lastBgsaveOk = false;
    }

    private void checkSavePoints() {
        long changes = engine.dirty - dirtyAtLastSave;
        SavePoint sp = Triggers.duePoint(engine.cfg.save, changes, System.currentTimeMillis(), engine.lastSaveUnix,
                lastBgsaveOk, lastBgsaveTryMillis);
        if (sp == null) return;
        engine.log.notice(changes + " changes in " + sp.seconds() + " seconds. Saving...");
        startBgsave();
    }

    // ---- appendonly at runtime -------------------------------------------------------------------

    /**
     * CONFIG SET appendonly: yes opens a writer that waits for a rewrite to give it its file (the
     * rewrite starts now, or when a running BGSAVE ends); no writes and fsyncs what is buffered,
     * stops any rewrite and closes the file.
     */
    @Override
    public void appendonlyChanged(boolean on) {
        if (on == (engine.aof != null)) return;
        if (!on) {
            if (job instanceof AofRewrite) {
                killJob();
                engine.log.notice("Killing running AOF rewrite");
            }
            rewriteScheduled = false;
            rewrites.closeWriter();
            return;
        }
        rewrites.openWaitingWriter();
        if (job instanceof AofRewrite) {
            // A rewrite without a rewrite buffer would miss the writes from now on: start over.
            engine.log.notice("AOF was enabled but there is already an AOF rewriting in background. Stopping background "
                    + "AOF and starting a rewrite now.");
            killJob();
        }
        if (job != null) {
            rewriteScheduled = true;
            engine.log.notice("AOF was enabled but there is already another background operation. An AOF background was "
                    + "scheduled to start when possible.");
        } else {
            startRewrite();
        }
    }

    /** Stops the running job, removes its temp file, and stops feeding a killed rewrite's buffer. */
    private void killJob() {
        BackgroundJob j = job;
        job = null;
        j.kill();
        AofWriter aof = engine.aof;
        if (j instanceof AofRewrite && aof != null) {
            aof.stopRewriteBuffer();
            aof.rewriteInProgress(false);
        }
    }

    // ---- shutdown, DEBUG -------------------------------------------------------------------------

    /**
     * Before exiting: a running job is killed and its temp file removed; then an RDB is saved when
     * {@code save} is given or save points exist and {@code nosave} is not. Returns the error text
     * when that save failed (SHUTDOWN then does not exit), else null.
     */
    public String prepareShutdown(boolean save, boolean nosave) {
        if (job != null) {
            engine.log.notice(job instanceof AofRewrite ? "There is a child rewriting the AOF. Killing it!"
                    : "There is a child saving an .rdb. Killing it!");
            killJob();
        }
        if (save || (!engine.cfg.save.isEmpty() && !nosave)) {
            engine.log.notice("Saving the final RDB snapshot before exiting.");
            try {
                saveNow();
            } catch (IOException e) {
                engine.log.warning("Error trying to save the DB, can't exit.");
                return "Errors trying to SHUTDOWN. Check logs.";
            }
        }
        return null;
    }

    /** DEBUG RELOAD (Redis 7.0, no options): SAVE, empty every database, load the dump back. */
    @Override
    public void debugReload() {
        try {
            saveNow();
        } catch (IOException e) {
            throw new CommandError("Error trying to save the RDB dump");
        }
        DebugLoads.reloadRdb(engine);
    }

    /** DEBUG LOADAOF: write out the AOF buffer, empty every database, replay the AOF. */
    @Override
    public void debugLoadAof() {
        DebugLoads.reloadAof(engine, dispatcher);
    }

    // ---- state for INFO and the dispatcher -------------------------------------------------------

    @Override
    public String writeDeniedReason() {
        if (engine.cfg.stopWritesOnBgsaveError && !engine.cfg.save.isEmpty() && !lastBgsaveOk) return BGSAVE_ERROR;
        return null;
    }

    @Override
    public Status status() {
        long bgsaveSeconds = job instanceof BgSave b ? b.seconds() : -1;
        long rewriteSeconds = job instanceof AofRewrite r ? r.seconds() : -1;
        return new Status(job instanceof BgSave, lastBgsaveOk, dirtyAtLastSave, rdbSaves, lastBgsaveSeconds, bgsaveSeconds,
                job instanceof AofRewrite, rewriteScheduled, rewrites.lastOk(), rewrites.count(), rewrites.lastSeconds(),
                rewriteSeconds);
    }
}
