package lossmeter.server.aof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.keyspace.ListValue;
import lossmeter.server.rdb.RdbWriter;
import lossmeter.server.resp.ReplyBuffer;

/**
 * The body of a rewritten AOF, from a snapshot of the databases: either an RDB preamble
 * ({@code aof-use-rdb-preamble yes}) or, per database, {@code SELECT n} followed by {@code SET}
 * for strings, {@code RPUSH} with at most 64 elements per command for lists and
 * {@code PEXPIREAT} for expiries, as Redis's rewrite writes them.
 */
public final class AofRewriteFile {
    static final int ITEMS_PER_COMMAND = 64;
    private static final int FLUSH_AT = 64 * 1024;

    /** What a rewrite takes from the configuration when it starts. */
    public record Options(boolean preamble, boolean incrementalFsync, RdbWriter.Options rdb) {
    }

    private AofRewriteFile() {
    }

    /**
     * Writes the snapshot at the channel's position; returns the bytes written. {@code cancelled}
     * is polled between keys, so a shutdown or CONFIG SET appendonly no stops a long rewrite.
     */
    public static long write(Database[] snapshot, FileChannel ch, Options options, BooleanSupplier cancelled) throws IOException {
        SyncingChannel out = new SyncingChannel(ch, options.incrementalFsync(), cancelled);
        if (options.preamble()) {
            RdbWriter.write(snapshot, out, options.rdb(), true);
            return out.written();
        }
        ReplyBuffer buf = new ReplyBuffer(FLUSH_AT * 2);
        long delay = options.rdb().keySaveDelayMicros();
        try {
            for (Database db : snapshot) {
                if (db.size() == 0) continue;
                buf.command(SELECT, Integer.toString(db.id()).getBytes(StandardCharsets.US_ASCII));
                db.forEach((k, v) -> {
                    entry(buf, db, k, v);
                    if (buf.length() >= FLUSH_AT) drain(buf, out);
                    RdbWriter.delay(delay);
                });
            }
            drain(buf, out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out.written();
    }

    private static void entry(ReplyBuffer buf, Database db, Key k, Object v) {
        switch (v) {
            case byte[] s -> buf.command(SET, k.bytes(), s);
            case ListValue l -> {
                for (int i = 0; i < l.size(); i += ITEMS_PER_COMMAND) {
                    int n = Math.min(ITEMS_PER_COMMAND, l.size() - i);
                    byte[][] argv = new byte[n + 2][];
                    argv[0] = RPUSH;
                    argv[1] = k.bytes();
                    for (int j = 0; j < n; j++) argv[j + 2] = l.get(i + j);
                    buf.command(argv);
                }
            }
            default -> throw new IllegalStateException("no AOF encoding for values of " + v.getClass().getName());
        }
        long at = db.expireAt(k);
        if (at >= 0) buf.command(PEXPIREAT, k.bytes(), Long.toString(at).getBytes(StandardCharsets.US_ASCII));
    }

    private static void drain(ReplyBuffer buf, SyncingChannel out) {
        try {
            out.write(buf.asByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.clear();
    }

    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPUSH = "RPUSH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);
}
