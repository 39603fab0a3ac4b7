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
