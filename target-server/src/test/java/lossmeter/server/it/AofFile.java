package lossmeter.server.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-side reader of a RESP append-only file: every command with the byte range it occupies.
 * Independent of the server's own parser on purpose.
 */
record AofFile(byte[] bytes, List<Command> commands) {

    /** One command: its argv and the bytes [start, end) it occupies. */
    record Command(long start, long end, List<String> argv) {
        String name() {
            return argv.get(0).toUpperCase(java.util.Locale.ROOT);
        }

        long length() {
            return end - start;
        }
    }

    static AofFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** Parses a whole file; fails on anything but complete commands and {@code #} annotation lines. */
    static AofFile parse(byte[] b) {
        List<Command> out = new ArrayList<>();
        int i = 0;
        while (i < b.length) {
            int start = i;
            if (b[i] == '#') {
                i = lineEnd(b, i) + 2;
                continue;
            }
            if (b[i] != '*') throw new IllegalArgumentException("not a command at offset " + i);
            int eol = lineEnd(b, i);
            int n = Integer.parseInt(new String(b, i + 1, eol - i - 1, StandardCharsets.US_ASCII));
            i = eol + 2;
            List<String> argv = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                if (b[i] != '$') throw new IllegalArgumentException("expected a bulk length at offset " + i);
                eol = lineEnd(b, i);
                int len = Integer.parseInt(new String(b, i + 1, eol - i - 1, StandardCharsets.US_ASCII));
                i = eol + 2;
                if (i + len + 2 > b.length) throw new IllegalArgumentException("truncated bulk at offset " + i);
                argv.add(new String(b, i, len, StandardCharsets.UTF_8));
                i += len + 2;
            }
            out.add(new Command(start, i, List.copyOf(argv)));
        }
        return new AofFile(b, List.copyOf(out));
    }

    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') return i;
        }
        throw new IllegalArgumentException("unterminated line at offset " + from);
    }

    Command last() {
        return commands.get(commands.size() - 1);
    }

    /** RESP for one command, as an AOF holds it. */
    static byte[] resp(String... argv) {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            byte[] ab = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(ab.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
