package lossmeter.server.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds a {@link RequestParser} the way the server's readers do (EventLoop.read for sockets,
 * AofLoader.replay for files), shared by the parser tests.
 */
final class ParserDriver {
    private ParserDriver() {
    }

    static byte[] bytes(String s) {
        // ISO-8859-1 maps every char 0..255 to one byte, so tests can spell binary input as text.
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static List<String> strings(byte[][] argv) {
        List<String> out = new ArrayList<>(argv.length);
        for (byte[] a : argv) out.add(text(a));
        return out;
    }

    /** Parses a buffer fed at once; empty requests are kept (as empty lists) so tests can see them. */
    static List<List<String>> parseAll(RequestParser p, byte[] data) throws ProtocolException {
        p.feed(data, 0, data.length, 0);
        List<List<String>> out = new ArrayList<>();
        byte[][] argv;
        int guard = data.length + 1;
        while ((argv = p.next()) != null) {
            out.add(strings(argv));
            if (--guard < 0) throw new AssertionError("parser returned more requests than there are bytes");
        }
        return out;
    }

    /**
     * Delivers {@code full} in pieces ending at the given cut offsets, the way a socket reader does:
     * each time, the parser sees a buffer that starts at the first unconsumed byte (the reader
     * compacted the consumed prefix away) and ends with everything received so far. Parsing stops
     * at the first ProtocolException, which is rethrown. Empty requests are dropped, as the
     * dispatcher ignores them.
     */
    static List<List<String>> parseInPieces(RequestParser p, byte[] full, int... cuts) throws ProtocolException {
        List<List<String>> out = new ArrayList<>();
        byte[] pending = new byte[0]; // received, not consumed yet
        long consumedTotal = 0;
        int received = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = full.length;
        for (int end : ends) {
            if (end < received) continue;
            byte[] more = Arrays.copyOfRange(full, received, end);
            received = end;
            byte[] buf = new byte[pending.length + more.length];
            System.arraycopy(pending, 0, buf, 0, pending.length);
            System.arraycopy(more, 0, buf, pending.length, more.length);
            p.feed(buf, 0, buf.length, consumedTotal);
            byte[][] argv;
            int guard = buf.length + 1;
            while ((argv = p.next()) != null) {
                if (argv.length > 0) out.add(strings(argv));
                if (--guard < 0) throw new AssertionError("parser loops without consuming input");
            }
            int pos = p.position();
            if (pos < 0 || pos > buf.length) throw new AssertionError("position " + pos + " outside the fed buffer");
            consumedTotal += pos;
            pending = Arrays.copyOfRange(buf, pos, buf.length);
        }
        return out;
    }
}
