package lossmeter.server.aof;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import lossmeter.server.resp.ProtocolException;
import lossmeter.server.resp.RequestParser;

/**
 * {@code check-aof [--fix] [--yes] FILE}: finds the first command that is not whole or not
 * well-formed (or a MULTI never closed), reports its offset and line, and with --fix truncates
 * the file to the end of the last valid command. Exit 0 valid (or fixed), 1 invalid, 2 usage.
 */
public final class AofCheck {
    /** What a check found: the valid prefix length, the file size, and the first problem. */
    public record Report(long size, long okUpTo, long okUpToLine, String problem, long problemOffset, long problemLine) {
        public boolean valid() {
            return okUpTo == size;
        }
    }

    private AofCheck() {
    }

    public static int main(String[] args, InputStream in, PrintStream out, PrintStream err) {
        boolean fix = false, yes = false;
        String file = null;
        for (String a : args) {
            switch (a) {
                case "--fix" -> fix = true;
                case "--yes", "-y" -> yes = true;
                case "--help", "-h" -> {
                    out.println("usage: lossmeter check-aof [--fix] [--yes] <file.aof>");
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") || file != null) {
                        err.println("usage: lossmeter check-aof [--fix] [--yes] <file.aof>");
                        return 2;
                    }
                    file = a;
                }
            }
        }
        if (file == null) {
            err.println("usage: lossmeter check-aof [--fix] [--yes] <file.aof>");
            return 2;
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            err.println("Cannot open file: " + file + ": no such regular file");
            return 2;
        }
        Report r;
        try {
            r = check(path);
        } catch (IOException e) {
            err.println("Cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        out.println("AOF analyzed: filename=" + file + ", size=" + r.size + ", ok_up_to=" + r.okUpTo + ", ok_up_to_line="
                + r.okUpToLine + ", diff=" + (r.size - r.okUpTo));
        if (r.valid()) {
            out.println("AOF " + file + " is valid");
            return 0;
        }
        out.println("First bad command at offset " + r.problemOffset + " (line " + r.problemLine + "): " + r.problem);
        if (!fix) {
            out.println("AOF " + file + " is not valid. Use the --fix option to try fixing it.");
            return 1;
        }
        out.println("This will shrink the AOF " + file + " from " + r.size + " bytes, with " + (r.size - r.okUpTo)
                + " bytes, to " + r.okUpTo + " bytes");
        if (!yes) {
            out.print("Continue? [y/N]: ");
            out.flush();
            String answer;
            try {
                answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                answer = null;
            }
            if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                out.println("Aborting...");
                return 1;
            }
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(r.okUpTo);
            ch.force(true);
        } catch (IOException e) {
            err.println("Failed to truncate AOF " + file + ": " + e.getMessage());
            return 1;
        }
        out.println("Successfully truncated AOF " + file);
        return 0;
    }

    /** Scans the whole file without executing anything. */
    public static Report check(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            RequestParser parser = new RequestParser(RequestParser.Mode.AOF, Long.MAX_VALUE);
            byte[] buf = new byte[(int) Math.min(1 << 20, Math.max(16, size))];
            int filled = 0;
            long bufOffset = 0, valid = 0, beforeMulti = 0, multiAt = -1;
            boolean eof = false;
            parser.feed(buf, 0, 0, 0);
            while (true) {
                byte[][] argv;
                try {
                    argv = parser.next();
                } catch (ProtocolException e) {
                    long ok = multiAt >= 0 ? beforeMulti : valid;
                    return report(path, size, ok, e.getMessage(), e.offset());
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
                long start = valid;
                if (argv.length > 0) {
                    String name = new String(argv[0], StandardCharsets.US_ASCII);
                    if (name.equalsIgnoreCase("multi")) {
                        if (multiAt >= 0) return report(path, size, beforeMulti, "Unexpected MULTI", start);
                        multiAt = start;
                        beforeMulti = start;
                    } else if (name.equalsIgnoreCase("exec")) {
                        if (multiAt < 0) return report(path, size, valid, "Unexpected EXEC", start);
                        multiAt = -1;
                    }
                }
                valid = parser.streamPosition();
            }
            if (filled > 0 || parser.inCommand()) {
                long ok = multiAt >= 0 ? beforeMulti : valid;
                return report(path, size, ok, "Unexpected end of file inside a command (truncated)", valid);
            }
            if (multiAt >= 0) return report(path, size, beforeMulti, "Reached EOF before reading EXEC for MULTI", multiAt);
            return report(path, size, size, null, -1);
        }
    }

    private static Report report(Path p, long size, long ok, String problem, long at) throws IOException {
        return new Report(size, ok, lineAt(p, ok), problem, at, at < 0 ? -1 : lineAt(p, at));
    }

    /** 1-based line number of the byte at the given offset. */
    private static long lineAt(Path p, long offset) throws IOException {
        long line = 1;
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            for (long i = 0; i < offset; i++) {
                int b = in.read();
                if (b < 0) break;
                if (b == '\n') line++;
            }
        }
        return line;
    }
}
