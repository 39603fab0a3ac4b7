package lossmeter.server.rdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.LongSupplier;

import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.log.Log;
import lossmeter.server.rdb.RdbException.Kind;

/**
 * Loads an RDB file into the databases as Redis 7.0 does at startup: AUX fields logged, keys
 * already expired skipped (we are a master), the checksum verified unless it is 0 or
 * {@code rdbchecksum no}; a file it cannot load is refused whole, with Redis's log lines.
 */
public final class RdbLoader {
    /** Serve clients (with -LOADING) after about this many bytes, as Redis's loading-process-events-interval-bytes. */
    private static final long EVENTS_INTERVAL_BYTES = 2L * 1024 * 1024;

    /** What a load found. {@code bytes}: the RDB's length, checksum included; an AOF tail starts that far after it. */
    public record Result(int version, long keysLoaded, long keysExpired, long emptyKeysSkipped, long bytes) {
    }

    /**
     * How to load. {@code keepExpired}: load keys whose time has passed too (an AOF preamble,
     * whose tail expects the keyspace as it was). {@code whileLoading} (may be null) runs every 2 MB.
     */
    public record Options(boolean verifyChecksum, boolean keepExpired, long keyLoadDelayMicros, Runnable whileLoading,
            LongSupplier clock) {
        public static Options of(ServerConfig cfg, Runnable whileLoading) {
            return new Options(cfg.rdbchecksum, false, cfg.keyLoadDelay, whileLoading, System::currentTimeMillis);
        }
    }

    private final Database[] dbs;
    private final Log log;
    private final Options options;
    private final long now;
    private RdbParser parser;
    private Database db;
    private long loaded;
    private long expired;
    private long empty;
    private long nextEvents = EVENTS_INTERVAL_BYTES;

    private RdbLoader(Database[] dbs, Log log, Options options) {
        this.dbs = dbs;
        this.log = log;
        this.options = options;
        this.now = options.clock().getAsLong();
        this.db = dbs[0];
    }

    /**
     * Loads the RDB that starts at {@code start} in {@code ch} into {@code dbs} (which should be
     * empty). On an {@link RdbException} the databases hold whatever was loaded before it.
     */
    public static Result load(FileChannel ch, long start, Database[] dbs, Log log, Options options) throws RdbException, IOException {
        return load(RdbInput.of(ch, start), dbs, log, options);
    }

    public static Result load(Path file, Database[] dbs, Log log, Options options) throws RdbException, IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return load(ch, 0, dbs, log, options);
        }
    }

    static Result load(RdbInput in, Database[] dbs, Log log, Options options) throws RdbException, IOException {
        RdbLoader l = new RdbLoader(dbs, log, options);
        l.parser = new RdbParser(in, options.verifyChecksum());
        long end = l.parser.parse(l.visitor());
        if (l.empty > 0) {
            log.warning("Done loading RDB, keys loaded: " + l.loaded + ", keys expired: " + l.expired + ", empty keys skipped: "
                    + l.empty + ".");
        } else {
            log.notice("Done loading RDB, keys loaded: " + l.loaded + ", keys expired: " + l.expired + ".");
        }
        return new Result(l.parser.version(), l.loaded, l.expired, l.empty, end);
    }

    /**
     * Startup with {@code appendonly no}: loads {@code dir/dbfilename} if it exists and logs the
     * outcome as Redis does. Returns false when the server must exit with status 1.
     */
    public static boolean loadAtStartup(ServerConfig cfg, Log log, Database[] dbs, Runnable whileLoading) {
        Path file = cfg.dirPath().resolve(cfg.dbfilename);
        if (!Files.exists(file)) return true;
        long t0 = System.nanoTime();
        try {
            load(file, dbs, log, Options.of(cfg, whileLoading));
        } catch (NoSuchFileException e) {
            return true; // gone between the check and the open: Redis's ENOENT, start empty
        } catch (IOException e) {
            log.warning("Fatal error loading the DB: " + RdbWriter.reason(e) + ". Exiting.");
            return false;
        } catch (RdbException e) {
            logRefusal(log, e);
            return false;
        }
        log.notice(String.format(Locale.ROOT, "DB loaded from disk: %.3f seconds", (System.nanoTime() - t0) / 1e9));
        return true;
    }

    /** The lines Redis logs when it refuses an RDB file. */
    public static void logRefusal(Log log, RdbException e) {
        switch (e.kind()) {
            case SIGNATURE, VERSION -> {
                log.warning(e.reason());
                log.warning("Fatal error loading the DB: Invalid argument. Exiting.");
                return;
            }
            case SHORT_READ -> log.warning("Short read or OOM loading DB. Unrecoverable error, aborting now.");
            case CHECKSUM -> log.warning(String.format("Wrong RDB checksum expected: (%x) but got (%x). Aborting now.",
                    e.expectedChecksum(), e.storedChecksum()));
            default -> {
            }
        }
        StringBuilder where = new StringBuilder("while doing ").append(e.doing());
        if (e.key() != null) where.append(", reading key '").append(e.key()).append('\'');
        if (e.type() >= 0) where.append(", type ").append(e.type()).append(" (").append(RdbFormat.typeName(e.type())).append(')');
        log.warning("Internal error in RDB reading offset " + e.offset() + " -> " + e.reason() + " (" + where + ")");
        log.warning("Terminating server after rdb file reading failure.");
    }

    private RdbVisitor visitor() {
        return new RdbVisitor() {
            @Override
            public void aux(String key, String value, long offset) {
                auxField(key, value);
            }

            @Override
            public void selectDb(long id, long offset) throws RdbException {
                if (id < 0 || id >= dbs.length) {
                    throw RdbException.refuse(Kind.CORRUPT, "FATAL: Data file was created with a Redis server configured to handle more than "
                            + dbs.length + " databases. Exiting");
                }
                db = dbs[(int) id];
            }

            @Override
            public void entry(byte[] key, Object value, long expireAt) throws RdbException {
                RdbLoader.this.entry(key, value, expireAt);
            }

            @Override
            public void emptyKey(byte[] key) {
                if (empty++ < 10) log.warning("rdbLoadObject skipping empty key: " + new String(key, StandardCharsets.UTF_8));
            }

            @Override
            public void checksum(boolean verified, long offset) {
                if (!verified) log.warning("RDB file was saved with checksum disabled: no check performed.");
            }
        };
    }

    private void auxField(String key, String value) {
        if (key.startsWith("%")) {
            log.notice("RDB '" + key + "': " + value);
            return;
        }
        switch (key.toLowerCase(Locale.ROOT)) {
            case "redis-ver" -> log.notice("Loading RDB produced by version " + value);
            case "ctime" -> log.notice("RDB age " + Math.max(0, now / 1000 - leadingLong(value)) + " seconds");
            case "used-mem" -> log.notice(String.format(Locale.ROOT, "RDB memory usage when created %.2f Mb",
                    leadingLong(value) / (1024.0 * 1024)));
            case "aof-preamble" -> {
                if (leadingLong(value) != 0) log.notice("RDB has an AOF tail");
            }
            case "aof-base" -> {
                if (leadingLong(value) != 0) log.notice("RDB is base AOF");
            }
            default -> log.debug("Unrecognized RDB AUX field: '" + key + "'");
        }
    }

    private void entry(byte[] keyBytes, Object value, long expireAt) throws RdbException {
        if (!options.keepExpired() && expireAt != -1 && expireAt < now) {
            expired++;
        } else {
            Key key = Key.of(keyBytes);
            if (db.get(key) != null) {
                throw RdbException.refuse(Kind.CORRUPT, "RDB has duplicated key '" + key + "' in DB " + db.id());
            }
            db.put(key, value);
            if (expireAt != -1) db.setExpire(key, expireAt);
            loaded++;
        }
        RdbWriter.delay(options.keyLoadDelayMicros());
        if (parser.position() >= nextEvents) {
            nextEvents = parser.position() + EVENTS_INTERVAL_BYTES;
            if (options.whileLoading() != null) options.whileLoading().run();
        }
    }

    /** strtoll as Redis uses it on AUX values: the leading integer, 0 when there is none. */
    private static long leadingLong(String s) {
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j)) && j - i < 18) j++;
        if (j == i) return 0;
        long v = Long.parseLong(s.substring(i, j));
        return s.charAt(0) == '-' ? -v : v;
    }
}
