package lossmeter.server.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import lossmeter.server.resp.ProtocolException;
import lossmeter.server.resp.RequestParser;

/**
 * Walks an AOF record by record, in bounded memory, without executing anything: each command or
 * annotation with its byte range. Used by the offline tools.
 */
final class AofScanner {
    /** Receives records; return false to stop early. */
    interface Visitor {
        boolean command(byte[][] argv, long start, long end);

        boolean annotation(String text, long start, long end);
    }

    /** How the walk ended: at a clean end, a cut-off command (at {@code at}), a format error, or stopped. */
    record End(boolean clean, boolean truncated, ProtocolException error, long at) {
    }

    private AofScanner() {
    }

    static End scan(Path path, Visitor v) throws IOException {
        return scan(path, 0, v);
    }

    /** Walks from byte {@code start} (after an RDB preamble); offsets reported are from the file's start. */
    static End scan(Path path, long start, Visitor v) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.position(start);
            long size = ch.size() - start;
            RequestParser parser = new RequestParser(RequestParser.Mode.AOF, Long.MAX_VALUE);
            byte[] buf = new byte[(int) Math.min(1 << 20, Math.max(16, size))];
            int filled = 0;
            long bufOffset = start;
            boolean eof = false;
            parser.feed(buf, 0, 0, start);
            long last = start;
            while (true) {
                int before = parser.position();
                byte[][] argv;
                try {
                    argv = parser.next();
                } catch (ProtocolException e) {
                    return new End(false, false, e, last);
                }
                if (argv == null) {
                    int consumed = parser.position();
                    System.arraycopy(buf, consumed, buf, 0, filled - consumed);
                    filled -= consumed;
                    bufOffset += consumed;
                    if (eof) break;
                    if (filled == buf.length) {
                        long want = Math.max((long) buf.length * 2, parser.pendingBulkBytes());
                        buf = java.util.Arrays.copyOf(buf, (int) Math.min(want, Math.min(size - bufOffset + 16, Integer.MAX_VALUE - 64)));
                    }
                    int n = ch.read(ByteBuffer.wrap(buf, filled, buf.length - filled));
                    if (n < 0) eof = true;
                    else filled += n;
                    parser.feed(buf, 0, filled, bufOffset);
                    continue;
                }
                long end = parser.streamPosition();
                boolean go;
                if (parser.sawAnnotation()) {
                    String text = new String(buf, before, parser.position() - before, StandardCharsets.UTF_8).strip();
                    go = v.annotation(text, last, end);
                } else {
                    go = argv.length == 0 || v.command(argv, last, end);
                }
                last = end;
                if (!go) return new End(false, false, null, last);
            }
            boolean truncated = filled > 0 || parser.inCommand();
            return new End(!truncated, truncated, null, last);
        }
    }
}
