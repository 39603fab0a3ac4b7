package lossmeter.server.rdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.keyspace.ListValue;

/**
 * Writes the databases as an RDB file of format version 10, byte for byte as Redis 7.0 lays it
 * out (strings raw, integer-encoded or LZF; lists as type-18 quicklists of listpack nodes), and
 * saves it durably: temp file, fsync, rename, directory fsync.
 */
public final class RdbWriter {
    /** Quicklist nodes are cut as Redis's default {@code list-max-listpack-size -2} cuts them: about 8 KiB. */
    private static final int NODE_LIMIT = 8192;
    private static final int NODE_ESTIMATE_OVERHEAD = 8;
    private static final Pattern TEMP_FILE = Pattern.compile("temp-(bg-)?\\d+\\.rdb");

    /** What a save takes from the configuration, read once when it starts. */
    public record Options(boolean compression, boolean checksum, long keySaveDelayMicros) {
        public static Options of(ServerConfig cfg) {
            return new Options(cfg.rdbcompression, cfg.rdbchecksum, cfg.rdbKeySaveDelay);
        }
    }

    private final Options options;
    private final Listpack.Builder node = new Listpack.Builder();
    private RdbOutput out;

    private RdbWriter(Options options) {
        this.options = options;
    }

    /**
     * Writes the whole file, magic to checksum, to {@code ch} (which is neither forced nor closed).
     * {@code aofBase} is the AUX field Redis sets when the RDB is the preamble of a base AOF.
     * Returns the number of bytes written.
     */
    public static long write(Database[] dbs, WritableByteChannel ch, Options options, boolean aofBase) throws IOException {
        return new RdbWriter(options).writeAll(dbs, ch, aofBase);
    }

    /**
     * SAVE's durable sequence in {@code dir}: writes {@code temp-<pid>.rdb}, fsyncs it, renames it
     * over {@code dbfilename} and fsyncs the directory. Returns the size of the file. Every failing
     * step is reported with Redis's log words; the temp file is removed when the rename did not happen.
     */
    public static long save(Database[] dbs, Path dir, String dbfilename, Options options) throws IOException {
        return save(dbs, dir, dbfilename, options, "temp-" + ProcessHandle.current().pid() + ".rdb", () -> false);
    }

    /**
     * The same sequence with its own temp file name (BGSAVE uses {@code temp-bg-<pid>.rdb}, so a
     * foreground SAVE never shares its file); {@code cancelled} is polled as output is written.
     */
    public static long save(Database[] dbs, Path dir, String dbfilename, Options options, String tmpName,
            java.util.function.BooleanSupplier cancelled) throws IOException {
        Path tmp = dir.resolve(tmpName);
        Path target = dir.resolve(dbfilename);
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("Failed opening the temp RDB file " + tmpName + " (in server root dir "
                    + dir.toAbsolutePath() + ") for saving: " + reason(e), e);
        }
        String step = "rdbSaveRio";
        boolean renamed = false;
        try {
            FileChannel file = ch;
            WritableByteChannel out = new WritableByteChannel() {
                @Override
                public int write(java.nio.ByteBuffer src) throws IOException {
                    if (cancelled.getAsBoolean()) throw new IOException("save cancelled");
                    return file.write(src);
                }

                @Override
                public boolean isOpen() {
                    return file.isOpen();
                }

                @Override
                public void close() {
                    // closed below, by the durable sequence
                }
            };
            long size = write(dbs, out, options, false);
            // The content must be on disk before the rename can make it the dump that a restart loads.
            step = "fsync";
            ch.force(true);
            step = "fclose";
            ch.close();
            // rename(2): the dump is the old file or the new one, never a mix.
            step = "rename";
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new IOException("Error moving temp DB file " + tmpName + " on the final destination " + dbfilename
                        + " (in server root dir " + dir.toAbsolutePath() + "): " + reason(e), e);
            }
            renamed = true;
            // The rename itself is durable only once the directory is.
            step = "fsyncFileDir";
            fsyncDirectory(dir);
            return size;
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            if (!renamed) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException deleting) {
                    e.addSuppressed(deleting);
                }
            }
            if (step.equals("rename")) throw e;
            IOException failure = new IOException("Write error saving DB on disk(" + step + "): " + reason(e), e);
            for (Throwable s : e.getSuppressed()) failure.addSuppressed(s);
            throw failure;
        }
    }

    /**
     * Removes the {@code temp-<pid>.rdb} files a killed save left in {@code dir}; returns their names.
     * Called at startup, before anything writes a new one.
     */
    public static List<String> removeLeftoverTempFiles(Path dir) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) return removed;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> TEMP_FILE.matcher(p.getFileName().toString()).matches())) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) removed.add(p.getFileName().toString());
            }
        }
        return removed;
    }

    /** fsync of a directory: makes the rename inside it durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof FileSystemException) return e.getClass().getSimpleName() + ": " + e.getMessage();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    // ---- the format ---------------------------------------------------------------------------

    private long writeAll(Database[] dbs, WritableByteChannel ch, boolean aofBase) throws IOException {
        out = new RdbOutput(ch, options.compression(), options.checksum());
        out.write(("REDIS" + String.format("%04d", RdbFormat.VERSION)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        aux("redis-ver", RdbFormat.REDIS_VERSION);
        aux("redis-bits", "64");
        aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
        Runtime rt = Runtime.getRuntime();
        aux("used-mem", Long.toString(rt.totalMemory() - rt.freeMemory()));
        aux("aof-base", aofBase ? "1" : "0");
        for (Database db : dbs) {
            if (db.size() == 0) continue;
            out.writeByte(RdbFormat.OPCODE_SELECTDB);
            out.writeLen(db.id());
            out.writeByte(RdbFormat.OPCODE_RESIZEDB);
            out.writeLen(db.size());
            out.writeLen(db.expiresSize());
            try {
                db.forEach((k, v) -> {
                    try {
                        entry(db, k, v);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        out.writeByte(RdbFormat.OPCODE_EOF);
        long crc = out.crc(); // flushes: everything before the trailer is in the CRC
        out.writeLe(options.checksum() ? crc : 0, 8);
        out.flushBuffer();
        return out.written();
    }

    private void aux(String key, String value) throws IOException {
        out.writeByte(RdbFormat.OPCODE_AUX);
        out.writeString(key);
        out.writeString(value);
    }

    private void entry(Database db, Key key, Object value) throws IOException {
        long at = db.expireAt(key);
        if (at >= 0) {
            out.writeByte(RdbFormat.OPCODE_EXPIRETIME_MS);
            out.writeLe(at, 8);
        }
        switch (value) {
            case byte[] s -> {
                out.writeByte(RdbFormat.TYPE_STRING);
                out.writeString(key.bytes());
                out.writeString(s);
            }
            case ListValue l -> {
                out.writeByte(RdbFormat.TYPE_LIST_QUICKLIST_2);
                out.writeString(key.bytes());
                writeQuicklist(l);
            }
            default -> throw new IOException("cannot save key '" + key + "': values of " + value.getClass().getName()
                    + " have no RDB encoding here");
        }
        delay(options.keySaveDelayMicros());
    }

    /**
     * Type 18: node count, then per node its container (2 = packed) and its listpack as a string.
     * Nodes are cut where RPUSH would have cut them under the default {@code list-max-listpack-size
     * -2}: an element joins a node while the node's listpack bytes + the element's length + 8 stay
     * within 8 KiB.
     */
    private void writeQuicklist(ListValue l) throws IOException {
        int n = l.size();
        List<Integer> starts = new ArrayList<>();
        long lpBytes = 0;
        for (int i = 0; i < n; i++) {
            byte[] e = l.get(i);
            if (i == 0 || lpBytes + e.length + NODE_ESTIMATE_OVERHEAD > NODE_LIMIT) {
                starts.add(i);
                lpBytes = Listpack.HEADER_SIZE + 1;
            }
            lpBytes += Listpack.entrySize(e);
        }
        starts.add(n);
        out.writeLen(starts.size() - 1);
        for (int k = 0; k + 1 < starts.size(); k++) {
            node.reset();
            for (int i = starts.get(k); i < starts.get(k + 1); i++) node.add(l.get(i));
            int size = node.finish();
            out.writeLen(RdbFormat.CONTAINER_PACKED);
            out.writeString(node.array(), 0, size);
        }
    }

    /** Redis's debugDelay: sleep that many µs per key; a negative n sleeps 1 µs once every -n keys on average. */
    public static void delay(long micros) {
        if (micros == 0) return;
        if (micros < 0) micros = ThreadLocalRandom.current().nextLong(-micros) == 0 ? 1 : 0;
        if (micros > 0) LockSupport.parkNanos(Math.min(micros, Long.MAX_VALUE / 1000) * 1000);
    }
}
