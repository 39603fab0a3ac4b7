package lossmeter.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every directive the server understands, with Redis's names, value syntax and defaults.
 * Values are validated when set; a bad value never half-applies. Fields read by background
 * threads are volatile.
 */
public final class ServerConfig {
    // network
    public volatile int port = 6379;
    public volatile String bind = "127.0.0.1";
    public volatile String requirepass = "";
    public volatile long protoMaxBulkLen = 512L * 1024 * 1024;
    public volatile int maxclients = 10000;
    public volatile OutputBufferLimits clientOutputBufferLimit = OutputBufferLimits.DEFAULT;
    public volatile long clientQueryBufferLimit = 1L << 30;
    public volatile int timeout = 0;
    public volatile int tcpBacklog = 511;
    public volatile boolean protectedMode = true;
    public volatile int hz = 10;
    // logging and files
    public volatile String dir = ".";
    public volatile String logfile = "";
    public volatile String loglevel = "notice";
    public volatile int databases = 16;
    // AOF
    public volatile boolean appendonly = false;
    public volatile String appendfilename = "appendonly.aof";
    public volatile String appenddirname = "appendonlydir";
    public volatile FsyncPolicy appendfsync = FsyncPolicy.EVERYSEC;
    public volatile boolean aofLoadTruncated = true;
    public volatile boolean aofTimestampEnabled = false;
    public volatile boolean aofUseRdbPreamble = true;
    public volatile boolean noAppendfsyncOnRewrite = false;
    public volatile long autoAofRewritePercentage = 100;
    public volatile long autoAofRewriteMinSize = 64L * 1024 * 1024;
    public volatile boolean aofRewriteIncrementalFsync = true;
    // RDB
    public volatile List<SavePoint> save = List.of(new SavePoint(3600, 1), new SavePoint(300, 100), new SavePoint(60, 10000));
    public volatile String dbfilename = "dump.rdb";
    public volatile boolean rdbcompression = true;
    public volatile boolean rdbchecksum = true;
    public volatile boolean stopWritesOnBgsaveError = true;
    // test aids, as in Redis
    public volatile long rdbKeySaveDelay = 0;
    public volatile long keyLoadDelay = 0;
    public volatile String enableDebugCommand = "no";
    /**
     * Opt-in for the unsafe durability switches below. They exist so that lossmeter's own tests can
     * prove it catches broken servers; each one breaks a promise of the fsync policy on purpose.
     */
    public volatile boolean enableUnsafeDurabilitySwitches = false;
    public volatile boolean unsafeReplyBeforeAofWrite = false;
    /** Under always: reply after the AOF write but before its fdatasync (a crash in between loses acked writes). */
    public volatile boolean unsafeReplyBeforeFsync = false;
    public volatile boolean unsafeSkipFsync = false;
    public volatile long unsafeFsyncEvery = 1;
    public volatile double unsafeDropAofWrites = 0.0;
    public volatile boolean unsafeForgetFlushall = false;
    public volatile boolean unsafeLogHalfTransaction = false;

    /** Where the config came from, for INFO's config_file. */
    public volatile String configFile = "";

    private final Map<String, Directive> directives = new LinkedHashMap<>();

    /** What a directive is: how to set it from arguments and how to show it. */
    private record Directive(String name, boolean runtime, Setter setter, Getter getter) {
    }

    @FunctionalInterface
    private interface Setter {
        void set(String[] args) throws ConfigException;
    }

    @FunctionalInterface
    private interface Getter {
        String get();
    }

    public ServerConfig() {
        intD("port", false, 0, 65535, v -> port = v, () -> port);
        str("bind", false, v -> bind = v, () -> bind);
        str("requirepass", true, v -> requirepass = v, () -> requirepass);
        mem("proto-max-bulk-len", true, 1024 * 1024, Long.MAX_VALUE, v -> protoMaxBulkLen = v, () -> protoMaxBulkLen);
        intD("maxclients", true, 1, 1_000_000, v -> maxclients = v, () -> maxclients);
        directive("client-output-buffer-limit", true, a -> clientOutputBufferLimit = clientOutputBufferLimit.with(a),
                () -> clientOutputBufferLimit.format());
        mem("client-query-buffer-limit", true, 1024 * 1024, Long.MAX_VALUE, v -> clientQueryBufferLimit = v, () -> clientQueryBufferLimit);
        intD("timeout", true, 0, Integer.MAX_VALUE, v -> timeout = v, () -> timeout);
        intD("tcp-backlog", false, 0, 65535, v -> tcpBacklog = v, () -> tcpBacklog);
        intD("tcp-keepalive", true, 0, Integer.MAX_VALUE, v -> { }, () -> 300);
        bool("protected-mode", true, v -> protectedMode = v, () -> protectedMode);
        intD("hz", true, 1, 500, v -> hz = v, () -> hz);
        str("dir", true, v -> dir = v, () -> dir);
        str("logfile", false, v -> logfile = v, () -> logfile);
        oneOf("loglevel", true, new String[]{"debug", "verbose", "notice", "warning", "nothing"}, v -> loglevel = v, () -> loglevel);
        oneOf("daemonize", false, new String[]{"no"}, v -> { }, () -> "no");
        str("pidfile", false, v -> { }, () -> "");
        intD("databases", false, 1, 1_000_000, v -> databases = v, () -> databases);
        bool("appendonly", true, v -> appendonly = v, () -> appendonly);
        str("appendfilename", false, v -> appendfilename = checkFileName(v), () -> appendfilename);
        str("appenddirname", false, v -> appenddirname = checkFileName(v), () -> appenddirname);
        directive("appendfsync", true, a -> appendfsync = FsyncPolicy.parse(one(a)), () -> appendfsync.configName());
        bool("aof-load-truncated", true, v -> aofLoadTruncated = v, () -> aofLoadTruncated);
        bool("aof-timestamp-enabled", true, v -> aofTimestampEnabled = v, () -> aofTimestampEnabled);
        bool("aof-use-rdb-preamble", true, v -> aofUseRdbPreamble = v, () -> aofUseRdbPreamble);
        bool("no-appendfsync-on-rewrite", true, v -> noAppendfsyncOnRewrite = v, () -> noAppendfsyncOnRewrite);
        longD("auto-aof-rewrite-percentage", true, 0, Integer.MAX_VALUE, v -> autoAofRewritePercentage = v, () -> autoAofRewritePercentage);
        mem("auto-aof-rewrite-min-size", true, 0, Long.MAX_VALUE, v -> autoAofRewriteMinSize = v, () -> autoAofRewriteMinSize);
        bool("aof-rewrite-incremental-fsync", true, v -> aofRewriteIncrementalFsync = v, () -> aofRewriteIncrementalFsync);
        directive("save", true, a -> save = parseSave(a), this::formatSave);
        str("dbfilename", true, v -> dbfilename = checkFileName(v), () -> dbfilename);
        bool("rdbcompression", true, v -> rdbcompression = v, () -> rdbcompression);
        bool("rdbchecksum", true, v -> rdbchecksum = v, () -> rdbchecksum);
        bool("stop-writes-on-bgsave-error", true, v -> stopWritesOnBgsaveError = v, () -> stopWritesOnBgsaveError);
        longD("rdb-key-save-delay", true, Long.MIN_VALUE, Long.MAX_VALUE, v -> rdbKeySaveDelay = v, () -> rdbKeySaveDelay);
        longD("key-load-delay", true, Long.MIN_VALUE, Long.MAX_VALUE, v -> keyLoadDelay = v, () -> keyLoadDelay);
        oneOf("enable-debug-command", false, new String[]{"yes", "no", "local"}, v -> enableDebugCommand = v, () -> enableDebugCommand);
        bool("enable-unsafe-durability-switches", false, v -> enableUnsafeDurabilitySwitches = v, () -> enableUnsafeDurabilitySwitches);
        unsafeBool("unsafe-reply-before-aof-write", v -> unsafeReplyBeforeAofWrite = v, () -> unsafeReplyBeforeAofWrite);
        unsafeBool("unsafe-reply-before-fsync", v -> unsafeReplyBeforeFsync = v, () -> unsafeReplyBeforeFsync);
        unsafeBool("unsafe-skip-fsync", v -> unsafeSkipFsync = v, () -> unsafeSkipFsync);
        directive("unsafe-fsync-every", false, a -> {
            long v = parseLong(one(a), 1, 1_000_000);
            unsafeFsyncEvery = v;
        }, () -> Long.toString(unsafeFsyncEvery));
        directive("unsafe-drop-aof-writes", false, a -> {
            double v;
            try {
                v = Double.parseDouble(one(a));
            } catch (NumberFormatException e) {
                throw new ConfigException("argument must be a fraction between 0 and 1");
            }
            if (!(v >= 0 && v <= 1)) throw new ConfigException("argument must be a fraction between 0 and 1");
            unsafeDropAofWrites = v;
        }, () -> Double.toString(unsafeDropAofWrites));
        unsafeBool("unsafe-forget-flushall", v -> unsafeForgetFlushall = v, () -> unsafeForgetFlushall);
        unsafeBool("unsafe-log-half-transaction", v -> unsafeLogHalfTransaction = v, () -> unsafeLogHalfTransaction);
    }

    // ---- applying directives ------------------------------------------------------------

    /** Sets one directive at startup (config file or command line). */
    public void set(String name, String[] args) throws ConfigException {
        Directive d = directives.get(name.toLowerCase(Locale.ROOT));
        if (d == null) throw new ConfigException("Bad directive or wrong number of arguments");
        d.setter.set(args);
    }

    /** CONFIG SET: only directives that may change at runtime. */
    public void setAtRuntime(String name, String value) throws ConfigException {
        Directive d = directives.get(name.toLowerCase(Locale.ROOT));
        if (d == null) throw new ConfigException("Unknown option or number of arguments for CONFIG SET - '" + name + "'");
        if (!d.runtime) throw new ConfigException("CONFIG SET failed (possibly related to argument '" + name + "') - can't set immutable config");
        String[] args = d.name.equals("save") ? value.trim().isEmpty() ? new String[]{""} : value.trim().split("\\s+") : new String[]{value};
        try {
            d.setter.set(args);
        } catch (ConfigException e) {
            throw new ConfigException("CONFIG SET failed (possibly related to argument '" + name + "') - " + e.getMessage());
        }
    }

    /** CONFIG GET with a glob pattern: name/value pairs in directive order. */
    public List<String[]> get(String pattern) {
        List<String[]> out = new ArrayList<>();
        for (Directive d : directives.values()) {
            if (Glob.matches(pattern.toLowerCase(Locale.ROOT), d.name)) out.add(new String[]{d.name, d.getter.get()});
        }
        return out;
    }

    public boolean isDirective(String name) {
        return directives.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, String> snapshot() {
        Map<String, String> m = new LinkedHashMap<>();
        directives.values().forEach(d -> m.put(d.name, d.getter.get()));
        return Collections.unmodifiableMap(m);
    }

    /** Checks cross-directive rules once everything is set. */
    public void validate() throws ConfigException {
        boolean anyUnsafe = unsafeReplyBeforeAofWrite || unsafeReplyBeforeFsync || unsafeSkipFsync || unsafeFsyncEvery != 1
                || unsafeDropAofWrites > 0 || unsafeForgetFlushall || unsafeLogHalfTransaction;
        if (anyUnsafe && !enableUnsafeDurabilitySwitches) {
            throw new ConfigException("the unsafe-* durability switches break the fsync promise on purpose and are refused "
                    + "unless 'enable-unsafe-durability-switches yes' is given too");
        }
    }

    public Path dirPath() {
        return Path.of(dir);
    }

    public Path aofPath() {
        return Path.of(dir).resolve(appendfilename);
    }

    public String unsafeSummary() {
        List<String> on = new ArrayList<>();
        if (unsafeReplyBeforeAofWrite) on.add("unsafe-reply-before-aof-write");
        if (unsafeReplyBeforeFsync) on.add("unsafe-reply-before-fsync");
        if (unsafeSkipFsync) on.add("unsafe-skip-fsync");
        if (unsafeFsyncEvery != 1) on.add("unsafe-fsync-every " + unsafeFsyncEvery);
        if (unsafeDropAofWrites > 0) on.add("unsafe-drop-aof-writes " + unsafeDropAofWrites);
        if (unsafeForgetFlushall) on.add("unsafe-forget-flushall");
        if (unsafeLogHalfTransaction) on.add("unsafe-log-half-transaction");
        return String.join(", ", on);
    }

    // ---- directive kinds -----------------------------------------------------------------

    private void directive(String name, boolean runtime, Setter s, Getter g) {
        directives.put(name, new Directive(name, runtime, s, g));
    }

    private interface BoolSink {
        void accept(boolean v);
    }

    private interface IntSink {
        void accept(int v);
    }

    private interface LongSink {
        void accept(long v);
    }

    private interface StrSink {
        void accept(String v) throws ConfigException;
    }

    private void bool(String name, boolean runtime, BoolSink sink, java.util.function.BooleanSupplier g) {
        directive(name, runtime, a -> sink.accept(parseBool(one(a))), () -> g.getAsBoolean() ? "yes" : "no");
    }

    private void unsafeBool(String name, BoolSink sink, java.util.function.BooleanSupplier g) {
        // The opt-in is checked by validate() once all directives are read, so order does not matter.
        directive(name, false, a -> sink.accept(parseBool(one(a))), () -> g.getAsBoolean() ? "yes" : "no");
    }

    private void intD(String name, boolean runtime, int min, int max, IntSink sink, java.util.function.IntSupplier g) {
        directive(name, runtime, a -> sink.accept((int) parseLong(one(a), min, max)), () -> Integer.toString(g.getAsInt()));
    }

    private void longD(String name, boolean runtime, long min, long max, LongSink sink, java.util.function.LongSupplier g) {
        directive(name, runtime, a -> sink.accept(parseLong(one(a), min, max)), () -> Long.toString(g.getAsLong()));
    }

    private void mem(String name, boolean runtime, long min, long max, LongSink sink, java.util.function.LongSupplier g) {
        directive(name, runtime, a -> {
            long v = parseMemory(one(a));
            if (v < min || v > max) throw new ConfigException("argument must be a memory value between " + min + " and " + max);
            sink.accept(v);
        }, () -> Long.toString(g.getAsLong()));
    }

    private void str(String name, boolean runtime, StrSink sink, Getter g) {
        directive(name, runtime, a -> sink.accept(one(a)), g);
    }

    private void oneOf(String name, boolean runtime, String[] allowed, StrSink sink, Getter g) {
        directive(name, runtime, a -> {
            String v = one(a).toLowerCase(Locale.ROOT);
            for (String ok : allowed) {
                if (ok.equals(v)) {
                    sink.accept(v);
                    return;
                }
            }
            throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", allowed));
        }, g);
    }

    // ---- value syntax --------------------------------------------------------------------

    private static String one(String[] a) throws ConfigException {
        if (a.length != 1) throw new ConfigException("wrong number of arguments");
        return a[0];
    }

    public static boolean parseBool(String s) throws ConfigException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new ConfigException("argument must be 'yes' or 'no'");
        };
    }

    private static long parseLong(String s, long min, long max) throws ConfigException {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
        if (v < min || v > max) throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
        return v;
    }

    /** Redis's memory syntax: 1k = 1000, 1kb = 1024, likewise m/mb and g/gb; case does not matter. */
    public static long parseMemory(String s) throws ConfigException {
        String t = s.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"}, {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            long v = Long.parseLong(t);
            if (v < 0) throw new ConfigException("argument must be a memory value");
            return Math.multiplyExact(v, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException("argument must be a memory value");
        }
    }

    private static List<SavePoint> parseSave(String[] a) throws ConfigException {
        if (a.length == 1 && a[0].isEmpty()) return List.of();
        // `save "3600 1 300 100"` arrives as one argument holding all pairs.
        String[] parts = a.length == 1 ? a[0].trim().split("\\s+") : a;
        if (parts.length % 2 != 0) throw new ConfigException("Invalid save parameters");
        List<SavePoint> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i += 2) {
            try {
                long sec = Long.parseLong(parts[i]);
                long ch = Long.parseLong(parts[i + 1]);
                if (sec < 1 || ch < 0) throw new ConfigException("Invalid save parameters");
                out.add(new SavePoint(sec, ch));
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid save parameters");
            }
        }
        return List.copyOf(out);
    }

    /** Adds save points (a config file may repeat `save` lines; each adds, as in Redis). */
    public void addSaveLine(String[] a) throws ConfigException {
        List<SavePoint> parsed = parseSave(a);
        if (parsed.isEmpty()) {
            save = List.of();
        } else {
            List<SavePoint> all = new ArrayList<>(saveLinesSeen ? save : List.of());
            all.addAll(parsed);
            save = List.copyOf(all);
        }
        saveLinesSeen = true;
    }

    private boolean saveLinesSeen;

    private String formatSave() {
        StringBuilder sb = new StringBuilder();
        for (SavePoint p : save) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(p.seconds()).append(' ').append(p.changes());
        }
        return sb.toString();
    }

    private static String checkFileName(String v) throws ConfigException {
        if (v.isEmpty() || v.contains("/")) throw new ConfigException("must be a plain file name, not a path");
        return v;
    }
}
