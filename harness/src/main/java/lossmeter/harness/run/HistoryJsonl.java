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

    public static History read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) ops.add(parse(l));
        }
        return new History(ops);
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
