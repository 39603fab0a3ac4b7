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

    boolean rewriteInProgress();

    boolean rewriteScheduled();

    boolean lastRewriteOk();

    long rewrites();

    boolean bgsaveInProgress();

    boolean lastBgsaveOk();

    long dirtyAtLastSave();

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
        throw new CommandError("DEBUG LOADAOF is not supported by this server yet");
    }

    default long rdbSaves() {
        return 0;
    }

    default long lastBgsaveSeconds() {
        return -1;
    }

    default long currentBgsaveSeconds() {
        return -1;
    }

    default long lastRewriteSeconds() {
        return -1;
    }

    default long currentRewriteSeconds() {
        return -1;
    }

    /** Runs after FLUSHALL emptied the dataset (Redis 7.0 saves an RDB then when save points are set). */
    default void afterFlushAll() {
    }

    /** DEBUG RELOAD: save, empty the dataset, load the dump back. */
    default void debugReload() {
        throw new CommandError("DEBUG RELOAD is not supported by this server yet");
    }

    Persistence NONE = new Persistence() {
        @Override
        public String rewriteAof() {
            throw new CommandError("BGREWRITEAOF is not supported by this server yet");
        }

        @Override
        public void save() {
            throw new CommandError("SAVE is not supported by this server yet");
        }

        @Override
        public String bgsave(boolean schedule) {
            throw new CommandError("BGSAVE is not supported by this server yet");
        }

        @Override
        public boolean rewriteInProgress() {
            return false;
        }

        @Override
        public boolean rewriteScheduled() {
            return false;
        }

        @Override
        public boolean lastRewriteOk() {
            return true;
        }

        @Override
        public long rewrites() {
            return 0;
        }

        @Override
        public boolean bgsaveInProgress() {
            return false;
        }

        @Override
        public boolean lastBgsaveOk() {
            return true;
        }

        @Override
        public long dirtyAtLastSave() {
            return 0;
        }
    };
}
