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

import lossmeter.server.rdb.RdbCheck;
import lossmeter.server.resp.ProtocolException;
import lossmeter.server.resp.RequestParser;

/**
 * {@code check-aof [--fix] [--yes] FILE}: finds the first command that is not whole or not
 * well-formed (or a MULTI never closed), reports its offset and line, and with --fix truncates
 * the file to the end of the last valid command. A file with an RDB preamble has the preamble
 * checked whole first (it cannot be fixed), then its tail. Exit 0 valid (or fixed), 1 invalid, 2 usage.
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
        Long truncateTo = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--fix" -> fix = true;
                case "--truncate-to-timestamp" -> {
                    if (i + 1 >= args.length) {
                        err.println("usage: lossmeter check-aof --truncate-to-timestamp <unix-seconds> <file.aof>");
                        return 2;
                    }
                    try {
                        truncateTo = Long.parseLong(args[++i]);
                    } catch (NumberFormatException e) {
                        err.println("--truncate-to-timestamp takes a unix time in seconds, not '" + args[i] + "'");
                        return 2;
                    }
                }
                case "--yes", "-y" -> yes = true;
                case "--help", "-h" -> {
                    out.println("usage: lossmeter check-aof [--fix] [--yes] [--truncate-to-timestamp <unix-seconds>] <file.aof>");
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") || file != null) {
                        err.println("usage: lossmeter check-aof [--fix] [--yes] [--truncate-to-timestamp <unix-seconds>] <file.aof>");
                        return 2;
                    }
                    file = a;
                }
            }
        }
        if (file == null) {
            err.println("usage: lossmeter check-aof [--fix] [--yes] [--truncate-to-timestamp <unix-seconds>] <file.aof>");
            return 2;
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            err.println("Cannot open file: " + file + ": no such regular file");
            return 2;
        }
        if (truncateTo != null) return truncateToTimestamp(path, file, truncateTo, out, err);
        Report r;
        try {
            long tail = 0;
            if (startsWithRdbMagic(path)) {
                // As redis-check-aof: the RDB part must be sane as a whole; only the RESP tail can be fixed.
                out.println("The AOF appears to start with an RDB preamble.");
                out.println("Checking the RDB preamble to start:");
                tail = RdbCheck.checkPrefix(path, file, out, System.currentTimeMillis());
                if (tail < 0) {
                    out.println("RDB preamble of AOF file is not sane, aborting.");
                    return 1;
                }
                out.println("RDB preamble is OK, proceeding with AOF tail...");
            }
            r = check(path, tail);
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

    // As redis-check-aof: cut just before the first #TS: annotation later than the given time.
    private static int truncateToTimestamp(Path path, String file, long ts, PrintStream out, PrintStream err) {
        try {
            long at = firstAnnotationAbove(path, ts);
            if (at < 0) {
                out.println("AOF " + file + " has no timestamp annotation above " + ts + ": nothing to truncate");
                return 0;
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(at);
                ch.force(true);
            }
            out.println("Successfully truncated AOF " + file + " to timestamp " + ts);
            return 0;
        } catch (IOException e) {
            err.println("Failed to truncate AOF " + file + ": " + e.getMessage());
            return 1;
        }
    }

    /** Scans the whole file (a file without RDB preamble) without executing anything. */
    public static Report check(Path path) throws IOException {
        return check(path, 0);
    }

    /** Scans the RESP part that starts at {@code tail} (after an RDB preamble, or 0). */
    public static Report check(Path path, long tail) throws IOException {
        long size = Files.size(path);
        long[] valid = {tail};
        long[] multiAt = {-1};
        String[] problem = {null};
        long[] problemAt = {-1};
        AofScanner.End end = AofScanner.scan(path, tail, new AofScanner.Visitor() {
            @Override
            public boolean command(byte[][] argv, long start, long stop) {
                String name = new String(argv[0], StandardCharsets.US_ASCII);
                if (name.equalsIgnoreCase("multi")) {
                    if (multiAt[0] >= 0) {
                        problem[0] = "Unexpected MULTI";
                        problemAt[0] = start;
                        return false;
                    }
                    multiAt[0] = start;
                } else if (name.equalsIgnoreCase("exec")) {
                    if (multiAt[0] < 0) {
                        problem[0] = "Unexpected EXEC";
                        problemAt[0] = start;
                        return false;
                    }
                    multiAt[0] = -1;
                }
                if (multiAt[0] < 0) valid[0] = stop;
                return true;
            }

            @Override
            public boolean annotation(String text, long start, long stop) {
                if (multiAt[0] < 0) valid[0] = stop;
                return true;
            }
        });
        if (problem[0] != null) return report(path, size, valid[0], problem[0], problemAt[0]);
        if (end.error() != null) return report(path, size, valid[0], end.error().getMessage(), end.error().offset());
        if (end.truncated()) return report(path, size, valid[0], "Unexpected end of file inside a command (truncated)", end.at());
        if (multiAt[0] >= 0) return report(path, size, valid[0], "Reached EOF before reading EXEC for MULTI", multiAt[0]);
        return report(path, size, size, null, -1);
    }

    static boolean startsWithRdbMagic(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(5);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // until 5 bytes or the end of the file
            }
            return b.position() == 5 && new String(b.array(), StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** Offset of the first {@code #TS:} annotation with a time above {@code unixSeconds}, or -1. */
    static long firstAnnotationAbove(Path path, long unixSeconds) throws IOException {
        long[] at = {-1};
        AofScanner.scan(path, new AofScanner.Visitor() {
            @Override
            public boolean command(byte[][] argv, long start, long stop) {
                return true;
            }

            @Override
            public boolean annotation(String text, long start, long stop) {
                if (text.startsWith("#TS:")) {
                    try {
                        if (Long.parseLong(text.substring(4).trim()) > unixSeconds) {
                            at[0] = start;
                            return false;
                        }
                    } catch (NumberFormatException ignored) {
                        // Not a timestamp annotation: keep looking.
                    }
                }
                return true;
            }
        });
        return at[0];
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
