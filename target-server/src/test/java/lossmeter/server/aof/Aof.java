package lossmeter.server.aof;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds AOF contents for the AOF tests and remembers where each command starts and ends. */
final class Aof {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<long[]> spans = new ArrayList<>();

    static byte[] resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends a command; returns this for chaining. */
    Aof cmd(String... args) {
        return raw(resp(args));
    }

    /** Appends bytes as-is (annotations, garbage) and records them as one span. */
    Aof raw(byte[] b) {
        long start = out.size();
        out.writeBytes(b);
        spans.add(new long[]{start, out.size()});
        return this;
    }

    Aof raw(String s) {
        return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Start offset of the i-th appended piece (negative i counts from the end). */
    long start(int i) {
        return spans.get(i < 0 ? spans.size() + i : i)[0];
    }

    /** End offset of the i-th appended piece (negative i counts from the end). */
    long end(int i) {
        return spans.get(i < 0 ? spans.size() + i : i)[1];
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
