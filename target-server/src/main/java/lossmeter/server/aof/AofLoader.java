package lossmeter.server.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.log.Log;
import lossmeter.server.rdb.RdbException;
import lossmeter.server.rdb.RdbLoader;

/**
 * Replays an append-only file at startup, with Redis's rules: {@code #} lines are annotations;
 * anything else that is not a well-formed command is a format error and refuses the start; an
 * unknown command refuses the start; a file that ends in the middle of a command is truncated
 * back to the last whole command when {@code aof-load-truncated} is yes, and refused otherwise;
 * a transaction left open at the end is reverted. A transaction cut by the end of the file is
 * reverted too (the file is cut before its MULTI), so the file never ends inside MULTI.
 * A file that starts with {@code REDIS} holds an RDB preamble (a rewrite's snapshot): it is
 * loaded whole, and refused whole if damaged, before the RESP tail that follows it.
 */
public final class AofLoader {
    /** Receives each command; returns false when the command is unknown or malformed. */
    @FunctionalInterface
    public interface Sink {
        boolean apply(byte[][] argv);
    }

    /** How a load ended. */
    public enum Status { OK, EMPTY, NOT_FOUND, TRUNCATED, FAILED }

    /** The outcome, with the byte offset after the last command kept and how many commands ran. */
    public record Result(Status status, long validUpTo, long commands) {
        public boolean started() {
            return status != Status.FAILED;
        }
    }

    private final ServerConfig cfg;
    private final Log log;
    private final Sink sink;
    private final Runnable whileLoading;
    private final Database[] dbs;

    /** {@code dbs} receive an RDB preamble's keys directly; the RESP tail goes through {@code sink}. */
    public AofLoader(ServerConfig cfg, Log log, Database[] dbs, Sink sink, Runnable whileLoading) {
        this.cfg = cfg;
        this.log = log;
        this.dbs = dbs;
        this.sink = sink;
        this.whileLoading = whileLoading;
    }

    public Result load(Path file) {
        String name = file.getFileName().toString();
        if (!Files.exists(file)) return new Result(Status.NOT_FOUND, 0, 0);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return new Result(Status.EMPTY, 0, 0);
            long tail = 0;
            if (startsWithRdbMagic(ch)) {
                log.notice("Reading RDB preamble from AOF file...");
                try {
                    // Keys whose time has passed are kept: the tail was written against this keyspace and expires them itself.
                    tail = RdbLoader.load(ch, 0, dbs, log, new RdbLoader.Options(cfg.rdbchecksum, true, cfg.keyLoadDelay,
                            whileLoading, System::currentTimeMillis)).bytes();
                } catch (RdbException e) {
                    RdbLoader.logRefusal(log, e);
                    log.warning("Error reading the RDB preamble of the AOF file " + name + ", AOF loading aborted");
                    return new Result(Status.FAILED, 0, 0);
                }
                log.notice("Reading the remaining AOF tail...");
            }
            return replay(file, name, tail);
        } catch (IOException e) {
            log.warning("Unrecoverable error reading the append only file " + name + ": " + e.getMessage());
            return new Result(Status.FAILED, 0, 0);
        }
    }

    private static boolean startsWithRdbMagic(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(5);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // read until 5 bytes or EOF
        }
        return b.position() == 5 && new String(b.array(), StandardCharsets.US_ASCII).equals("REDIS");
    }

    private Result replay(Path file, String name, long tail) throws IOException {
        long[] validUpTo = {tail};
        long[] validBeforeMulti = {tail};
        boolean[] inMulti = {false};
        long[] commands = {0};
        boolean[] unknown = {false};
        AofScanner.End end = AofScanner.scan(file, tail, new AofScanner.Visitor() {
            @Override
            public boolean command(byte[][] argv, long start, long stop) {
                String cmd = new String(argv[0], StandardCharsets.US_ASCII);
                if (cmd.equalsIgnoreCase("multi")) {
                    validBeforeMulti[0] = validUpTo[0];
                    inMulti[0] = true;
                }
                if (!sink.apply(argv)) {
                    log.warning("Unknown command '" + new String(argv[0], StandardCharsets.UTF_8)
                            + "' reading the append only file " + name);
                    unknown[0] = true;
                    return false;
                }
                if (cmd.equalsIgnoreCase("exec") || cmd.equalsIgnoreCase("discard")) inMulti[0] = false;
                validUpTo[0] = stop;
                if ((++commands[0] & 1023) == 0) whileLoading.run();
                long delay = cfg.keyLoadDelay;
                if (delay > 0) LockSupport.parkNanos(delay * 1000);
                return true;
            }

            @Override
            public boolean annotation(String text, long start, long stop) {
                if (!inMulti[0]) validUpTo[0] = stop;
                return true;
            }
        });
        if (unknown[0]) return new Result(Status.FAILED, validUpTo[0], commands[0]);
        if (end.error() != null && cfg.aofLoadTruncated && zerosFrom(file, end.error().offset())) {
            // Appended bytes whose fsync failed read back as zeros once a crash drops them: the
            // file's size was durable, its tail was not. That is a torn tail, not corruption,
            // when nothing but zeros follows.
            log.warning("!!! Warning: the AOF file " + name + " ends in zero bytes from offset " + end.error().offset()
                    + " (a tail whose fsync failed, lost at a crash) !!!");
            return finish(file, name, true, inMulti[0], inMulti[0] ? validBeforeMulti[0] : validUpTo[0], commands[0]);
        }
        if (end.error() != null) {
            log.warning("Bad file format reading the append only file " + name + " (at offset " + end.error().offset() + ": "
                    + end.error().getMessage() + "): make a backup of your AOF file, then use ./lossmeter check-aof --fix " + name);
            return new Result(Status.FAILED, validUpTo[0], commands[0]);
        }
        return finish(file, name, end.truncated(), inMulti[0], inMulti[0] ? validBeforeMulti[0] : validUpTo[0], commands[0]);
    }

    /** Whether every byte of {@code file} from {@code offset} to its end is zero. */
    private static boolean zerosFrom(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            long pos = offset;
            int n;
            while ((n = ch.read(b.clear(), pos)) > 0) {
                for (int i = 0; i < n; i++) if (b.get(i) != 0) return false;
                pos += n;
            }
            return pos > offset;
        }
    }

    private Result finish(Path file, String name, boolean truncatedTail, boolean inMulti, long validUpTo, long commands) {
        if (!truncatedTail && !inMulti) return new Result(Status.OK, validUpTo, commands);
        if (inMulti) log.warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
        if (cfg.aofLoadTruncated) {
            log.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
            log.warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
            try (FileChannel w = FileChannel.open(file, StandardOpenOption.WRITE)) {
                w.truncate(validUpTo);
                w.force(true);
            } catch (IOException e) {
                log.warning("Error truncating the AOF file " + name + ": " + e.getMessage());
                return new Result(Status.FAILED, validUpTo, commands);
            }
            log.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
            return new Result(Status.TRUNCATED, validUpTo, commands);
        }
        log.warning("Unexpected end of file reading the append only file " + name + ". You can: 1) Make a backup of your "
                + "AOF file, then use ./lossmeter check-aof --fix " + name + ". 2) Alternatively you can set the "
                + "'aof-load-truncated' configuration option to yes and restart the server.");
        return new Result(Status.FAILED, validUpTo, commands);
    }
}
