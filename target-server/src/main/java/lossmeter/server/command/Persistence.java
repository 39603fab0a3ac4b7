package lossmeter.server.command;

/**
 * What commands may ask of background persistence (rewrites and snapshots). The server main
 * installs the real one; until then every request is refused with a clear error.
 */
public interface Persistence {
    /** BGREWRITEAOF: returns the status reply text, or throws CommandError. */
    String rewriteAof();

    /** SAVE (foreground). */
    void save();

    /** BGSAVE: the status reply text. */
    String bgsave(boolean schedule);

    /** What INFO persistence reports about saves and rewrites. */
    record Status(boolean bgsaveInProgress, boolean lastBgsaveOk, long dirtyAtLastSave, long rdbSaves, long lastBgsaveSeconds,
            long currentBgsaveSeconds, boolean rewriteInProgress, boolean rewriteScheduled, boolean lastRewriteOk, long rewrites,
            long lastRewriteSeconds, long currentRewriteSeconds) {
        /** Nothing ever ran. */
        public static final Status IDLE = new Status(false, true, 0, 0, -1, -1, false, false, true, 0, -1, -1);
    }

    default Status status() {
        return Status.IDLE;
    }

    /** Cron hook: automatic rewrites and save points. */
    default void cron() {
    }

    /** Runs before the event loop writes the AOF and the replies: completes a finished background job. */
    default void beforeSleep() {
    }

    /** Null while writes may proceed; otherwise the MISCONF text (without the error code). */
    default String writeDeniedReason() {
        return null;
    }

    /** CONFIG SET appendonly changed the setting. */
    default void appendonlyChanged(boolean on) {
    }

    /** DEBUG LOADAOF: write the AOF buffer, empty the dataset, replay the AOF. */
    default void debugLoadAof() {
        throw new CommandError("DEBUG LOADAOF needs the persistence layer, which this engine was built without");
    }


    /** Runs after FLUSHALL emptied the dataset (Redis 7.0 saves an RDB then when save points are set). */
    default void afterFlushAll() {
    }

    /** DEBUG RELOAD: save, empty the dataset, load the dump back. */
    default void debugReload() {
        throw new CommandError("DEBUG RELOAD needs the persistence layer, which this engine was built without");
    }

    Persistence NONE = new Persistence() {
        @Override
        public String rewriteAof() {
            throw new CommandError("BGREWRITEAOF needs the persistence layer, which this engine was built without");
        }

        @Override
        public void save() {
            throw new CommandError("SAVE needs the persistence layer, which this engine was built without");
        }

        @Override
        public String bgsave(boolean schedule) {
            throw new CommandError("BGSAVE needs the persistence layer, which this engine was built without");
        }
    };
}
