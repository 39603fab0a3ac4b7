package lossmeter.server.persistence;

import java.io.IOException;
import java.util.Locale;

import lossmeter.server.aof.AofRewriteFile;
import lossmeter.server.aof.AofWriter;
import lossmeter.server.aof.RewriteBuffer;
import lossmeter.server.command.CommandError;
import lossmeter.server.command.Engine;
import lossmeter.server.config.FsyncPolicy;
import lossmeter.server.keyspace.Database;
import lossmeter.server.rdb.RdbWriter;

/**
 * The AOF side of {@link PersistenceService}: preparing and finishing rewrites (BGREWRITEAOF, the
 * automatic ones, the first one after CONFIG SET appendonly yes), when an automatic rewrite is due,
 * the rewrite counters INFO shows, and opening and closing the AOF writer at runtime. Which job
 * runs when stays with the service, which holds the one job slot. Every method runs on the event
 * loop.
 */
final class AofRewrites {
    private final Engine engine;
    private final Runnable wakeup;
    private final AofWriter.Exit exit;
    private boolean lastOk = true;
    private long count;
    private long lastSeconds = -1;
    private int failuresInARow;
    private long lastFailureMillis;

    AofRewrites(Engine engine, Runnable wakeup, AofWriter.Exit exit) {
        this.engine = engine;
        this.wakeup = wakeup;
        this.exit = exit;
    }

    /**
     * A rewrite of {@code snap}, not started yet. Call it right after taking the snapshot: the
     * rewrite buffer starts here, so nothing falls between the two.
     */
    AofRewrite prepare(Database[] snap) {
        AofWriter aof = engine.aof;
        RewriteBuffer buffer = null;
        if (aof != null) {
            buffer = new RewriteBuffer();
            aof.startRewriteBuffer(buffer);
            aof.rewriteInProgress(true);
        }
        var options = new AofRewriteFile.Options(engine.cfg.aofUseRdbPreamble, engine.cfg.aofRewriteIncrementalFsync,
                RdbWriter.Options.of(engine.cfg));
        return new AofRewrite(snap, buffer, engine.cfg.dirPath(), engine.cfg.aofPath(), options, wakeup);
    }

    /** Starts a prepared rewrite (once it holds the service's job slot). */
    void start(AofRewrite r) {
        count++;
        r.start();
        engine.log.notice("Background append only file rewriting started");
    }

    /**
     * A rewrite's thread has ended: on success the rewritten file becomes the AOF; on failure its
     * temp file goes, and an AOF that was being turned on stays off.
     */
    void finish(AofRewrite r) {
        AofWriter aof = engine.aof;
        lastSeconds = r.seconds();
        if (aof != null) aof.rewriteInProgress(false);
        IOException failure = r.failure();
        if (failure == null) {
            try {
                long t0 = System.nanoTime();
                r.finish(aof, engine.cfg.appendfsync == FsyncPolicy.ALWAYS);
                long micros = (System.nanoTime() - t0) / 1000;
                engine.log.notice("Background AOF rewrite terminated with success");
                engine.log.notice(String.format(Locale.ROOT, "Residual parent diff successfully flushed to the rewritten AOF "
                        + "(%.2f MB, %.2f MB before by the rewrite thread; %d us on the event loop)",
                        r.drainedByLoop / (1024.0 * 1024), r.drainedByThread() / (1024.0 * 1024), micros));
                engine.log.notice("Background AOF rewrite finished successfully");
                lastOk = true;
                failuresInARow = 0;
                return;
            } catch (IOException e) {
                failure = e;
            }
        }
        if (aof != null) aof.stopRewriteBuffer();
        r.cleanUp();
        engine.log.warning(failure.getMessage());
        engine.log.warning("Background AOF rewrite terminated with error");
        lastOk = false;
        failuresInARow++;
        lastFailureMillis = System.currentTimeMillis();
        if (aof != null && aof.waitingForRewrite()) {
            // The AOF was being turned on: with no file to write to, it stays off (the dataset is untouched).
            engine.log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. "
                    + "AOF stays disabled.");
            closeQuietly(aof);
            engine.aof = null;
            engine.cfg.appendonly = false;
        }
    }

    private long lastRepairMillis;

    /**
     * True (and logged) every 250 ms while a failed fsync has left the AOF's tail unknown: the
     * log is rewritten from memory, which holds every acknowledged write, and writes wait for it.
     */
    boolean repairDue() {
        AofWriter aof = engine.aof;
        if (aof == null || aof.waitingForRewrite() || !aof.needsRewriteAfterFsyncError()) return false;
        long now = System.currentTimeMillis();
        if (now - lastRepairMillis < 250) return false;
        lastRepairMillis = now;
        engine.log.warning("Rewriting the AOF from memory: a failed fsync left its tail unknown");
        return true;
    }

    /** True (and logged) when the AOF has grown enough since its last rewrite for an automatic one. */
    boolean autoRewriteDue() {
        AofWriter aof = engine.aof;
        if (aof == null || aof.waitingForRewrite()) return false;
        if (Triggers.rewriteLimited(failuresInARow, lastFailureMillis, System.currentTimeMillis())) return false;
        long growth = Triggers.rewriteGrowth(aof.currentSize(), aof.baseSize(), engine.cfg.autoAofRewriteMinSize,
                engine.cfg.autoAofRewritePercentage);
        if (growth < 0) return false;
        engine.log.notice("Starting automatic rewriting of AOF on " + growth + "% growth");
        return true;
    }

    /** CONFIG SET appendonly yes: a writer that waits for the first rewrite to give it its file. */
    void openWaitingWriter() {
        try {
            engine.aof = AofWriter.waitingForRewrite(engine.cfg, engine.log, engine.cfg.aofPath(), exit);
        } catch (IOException e) {
            throw new CommandError("Unable to turn on AOF. Check server logs.");
        }
        engine.aof.onBackgroundFsyncDone(wakeup);
    }

    /** CONFIG SET appendonly no: writes and fsyncs what is buffered, then closes the file. */
    void closeWriter() {
        AofWriter aof = engine.aof;
        engine.aof = null;
        try {
            aof.flushAndSync();
        } catch (IOException e) {
            engine.log.warning("Error writing the AOF while turning it off: " + e.getMessage());
        }
        closeQuietly(aof);
    }

    private void closeQuietly(AofWriter aof) {
        try {
            aof.close();
        } catch (IOException e) {
            engine.log.warning("Error closing the AOF: " + e.getMessage());
        }
    }

    boolean lastOk() {
        return lastOk;
    }

    /** Rewrites started since the server started. */
    long count() {
        return count;
    }

    long lastSeconds() {
        return lastSeconds;
    }
}
