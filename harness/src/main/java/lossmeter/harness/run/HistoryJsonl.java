package lossmeter.harness.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import lossmeter.reports.model.ResultsFiles;
import lossmeter.workloads.history.History;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.history.OpType;

/**
 * {@code history.jsonl}: one op per line, fields {@code index, time, type, process, f, key, value,
 * error} in that order, type lower-case, time in ns since the trial started. Reading it back gives
 * the same ops, values in history types (Long, String, List).
 */
public final class HistoryJsonl {
    public static final String FILE = ResultsFiles.HISTORY;

    private HistoryJsonl() {
    }

    public static String line(Op op) {
        try {
            return Json.COMPACT.writeValueAsString(toMap(op));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("op " + op + " has a value JSON cannot hold", e);
        }
    }

    /** The op as an ordered map of its JSON fields (also used for evidence in verdict.json). */
    public static Map<String, Object> toMap(Op op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", op.index());
        m.put("time", op.time());
        m.put("type", op.type().jsonName());
        m.put("process", op.process());
        m.put("f", op.f());
        m.put("key", op.key());
        m.put("value", op.value());
        m.put("error", op.error());
        return m;
    }

    public static Op parse(String line) {
        Map<String, Object> m;
        try {
            m = Json.COMPACT.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a history line: " + line, e);
        }
        return new Op(((Number) m.get("index")).longValue(), ((Number) m.get("time")).longValue(),
                OpType.parse((String) m.get("type")), ((Number) m.get("process")).intValue(), (String) m.get("f"),
                (String) m.get("key"), Json.normalize(m.get("value")), (String) m.get("error"));
    }

    /** Reads a whole history; any bad line is an IllegalArgumentException naming the file and line. */
    public static History read(Path file) throws IOException {
        Read r = readTolerant(file);
        if (r.tornLine() > 0) throw new IllegalArgumentException(file + ":" + r.tornLine() + ": torn last line (the run was interrupted)");
        return r.history();
    }

    /**
     * A history read back, and the number of its torn last line (0 when none): a run killed while
     * writing leaves a last line without its newline that does not parse.
     */
    public record Read(History history, int tornLine) {
    }

    /**
     * Reads a history, setting aside a torn last line; any other bad line is an
     * IllegalArgumentException naming the file and line number.
     */
    public static Read readTolerant(Path file) throws IOException {
        // Decoded leniently: a write cut inside a multi-byte character is a torn line, not an I/O error.
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int last = lines.length - 1; // the text after the last newline: "" unless the last line is torn
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank()) continue;
            try {
                ops.add(parse(l));
            } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
                if (i == last) return new Read(new History(ops), i + 1);
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a history line: " + abbreviate(l), e);
            }
        }
        return new Read(new History(ops), 0);
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "…";
    }

    public static void write(Path file, List<Op> ops) throws IOException {
        try (Writer w = new Writer(file)) {
            for (Op op : ops) w.accept(op);
        }
    }

    /**
     * A recorder sink that appends each op as it is recorded, so a trial interrupted midway still
     * leaves its history. An I/O failure cannot be thrown into a client worker, so it is kept and
     * reported by {@link #failure()} and by {@link #close()}.
     */
    public static final class Writer implements Consumer<Op>, AutoCloseable {
        private final BufferedWriter out;
        private IOException failure;

        public Writer(Path file) throws IOException {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void accept(Op op) {
            if (failure != null) return;
            try {
                out.write(line(op));
                out.write('\n');
            } catch (IOException e) {
                failure = e;
            }
        }

        public synchronized void flush() {
            if (failure != null) return;
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
        }

        public synchronized IOException failure() {
            return failure;
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) failure = e;
            }
            if (failure != null) throw new UncheckedIOException("writing the history failed", failure);
        }
    }
}
