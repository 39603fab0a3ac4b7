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
import lossmeter.server.log.Log;
import lossmeter.server.resp.ProtocolException;
import lossmeter.server.resp.RequestParser;

/**
 * Replays an append-only file at startup, with Redis's rules: {@code #} lines are annotations;
 * anything else that is not a well-formed command is a format error and refuses the start; an
 * unknown command refuses the start; a file that ends in the middle of a command is truncated
 * back to the last whole command when {@code aof-load-truncated} is yes, and refused otherwise;
 * a transaction left open at the end is reverted. A transaction cut by the end of the file is
 * reverted too (the file is cut before its MULTI), so the file never ends inside MULTI.
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

    private static final int CHUNK = 1 << 20;

    private final ServerConfig cfg;
    private final Log log;
    private final Sink sink;
    private final Runnable whileLoading;

    public AofLoader(ServerConfig cfg, Log log, Sink sink, Runnable whileLoading) {
        this.cfg = cfg;
        this.log = log;
        this.sink = sink;
        this.whileLoading = whileLoading;
    }

    public Result load(Path file) {
        String name = file.getFileName().toString();
        if (!Files.exists(file)) return new Result(Status.NOT_FOUND, 0, 0);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return new Result(Status.EMPTY, 0, 0);
            if (startsWithRdbMagic(ch)) {
                log.warning("The AOF " + name + " starts with an RDB preamble, which this server cannot load yet");
                return new Result(Status.FAILED, 0, 0);
            }
            return replay(ch, size, file, name);
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

    private Result replay(FileChannel ch, long size, Path file, String name) throws IOException {
        RequestParser parser = new RequestParser(RequestParser.Mode.AOF, Long.MAX_VALUE);
        byte[] buf = new byte[(int) Math.min(CHUNK, size)];
        int filled = 0;
        long bufOffset = 0; // file offset of buf[0]
        long validUpTo = 0;
        long validBeforeMulti = 0;
        boolean inMulti = false;
        long commands = 0;
        boolean eof = false;
        ch.position(0);
        parser.feed(buf, 0, 0, 0);
        while (true) {
            byte[][] argv;
            try {
                argv = parser.next();
            } catch (ProtocolException e) {
                log.warning("Bad file format reading the append only file " + name + " (at offset " + e.offset() + ": "
                        + e.getMessage() + "): make a backup of your AOF file, then use ./lossmeter check-aof --fix " + name);
                return new Result(Status.FAILED, validUpTo, commands);
            }
            if (argv == null) {
                // Keep the unconsumed tail, then read more.
                int consumed = parser.position();
                if (consumed > 0) {
                    System.arraycopy(buf, consumed, buf, 0, filled - consumed);
                    filled -= consumed;
                    bufOffset += consumed;
                }
                if (eof) break;
                if (filled == buf.length) {
                    long remaining = size - bufOffset;
                    long want = Math.max((long) buf.length * 2, parser.pendingBulkBytes());
                    int cap = (int) Math.min(Math.min(want, remaining + 16), Integer.MAX_VALUE - 64);
                    if (cap <= buf.length) cap = buf.length + CHUNK;
                    buf = java.util.Arrays.copyOf(buf, cap);
                }
                int n = ch.read(ByteBuffer.wrap(buf, filled, buf.length - filled));
                if (n < 0) eof = true;
                else filled += n;
                parser.feed(buf, 0, filled, bufOffset);
                continue;
            }
            if (argv.length == 0) {
                if (!inMulti) validUpTo = parser.streamPosition();
                continue;
            }
            String cmd = new String(argv[0], StandardCharsets.US_ASCII);
            boolean isMulti = cmd.equalsIgnoreCase("multi");
            if (isMulti) {
                validBeforeMulti = validUpTo;
                inMulti = true;
            }
            if (!sink.apply(argv)) {
                log.warning("Unknown command '" + new String(argv[0], StandardCharsets.UTF_8)
                        + "' reading the append only file " + name);
                return new Result(Status.FAILED, validUpTo, commands);
            }
            if (cmd.equalsIgnoreCase("exec") || cmd.equalsIgnoreCase("discard")) inMulti = false;
            validUpTo = parser.streamPosition();
            commands++;
            if ((commands & 1023) == 0) whileLoading.run();
            long delay = cfg.keyLoadDelay;
            if (delay > 0) LockSupport.parkNanos(delay * 1000);
        }
        boolean truncatedTail = filled > 0 || parser.inCommand();
        if (!truncatedTail && !inMulti) return new Result(Status.OK, validUpTo, commands);
        if (inMulti) {
            log.warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
            validUpTo = validBeforeMulti;
        }
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
