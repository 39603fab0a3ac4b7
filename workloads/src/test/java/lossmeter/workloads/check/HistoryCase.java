package lossmeter.workloads.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lossmeter.workloads.history.History;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.history.OpType;

/**
 * One hand-written history file (format: src/test/resources/histories/README.md): the history,
 * the crashes, and what the checker must say about them.
 */
record HistoryCase(String name, String description, History history, List<Crash> crashes, Expect expect, String expectBug,
                   String lookalikeOf) {

    /** Expectations; a null field is not checked. */
    record Expect(List<Verdict> verdicts, Map<AnomalyKind, Integer> anomalies, List<Map<AnomalyKind, Integer>> crashAnomalies,
                  List<Long> lostAcked, List<Long> ackedWrites, List<Long> lossWindowMs, List<Long> durableHorizonMs,
                  Integer liveReadAnomalies, List<Boolean> passes, List<Long> lostAckedUpper, List<Long> lossWindowUpperMs,
                  List<Boolean> ambiguous) {
    }

    /** In anomaly counts: "at least one". */
    static final int AT_LEAST_ONE = -1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;

    static HistoryCase load(Path file) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(file));
        String name = file.getFileName().toString();
        try {
            return parse(name, root);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static HistoryCase parse(String name, JsonNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("description", "ops", "crashes", "expect", "expectBug", "lookalikeOf").contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'");
            }
        }
        String description = text(root, "description");
        if (description == null || description.isBlank()) throw new IllegalArgumentException("a description is required");
        History history = new History(ops(root.path("ops")));
        List<Crash> crashes = new ArrayList<>();
        for (JsonNode c : root.path("crashes")) crashes.add(crash(c));
        if (crashes.isEmpty()) throw new IllegalArgumentException("at least one crash is required");
        return new HistoryCase(name, description, history, crashes, expect(root.path("expect")), text(root, "expectBug"),
                text(root, "lookalikeOf"));
    }

    private static List<Op> ops(JsonNode rows) {
        if (!rows.isArray()) throw new IllegalArgumentException("'ops' must be an array");
        List<Op> out = new ArrayList<>();
        Map<Integer, Op> open = new HashMap<>();
        long last = Long.MIN_VALUE;
        for (JsonNode row : rows) {
            if (!row.isArray() || row.size() < 3) throw new IllegalArgumentException("bad op row " + row);
            long time = millis(row.get(0));
            if (time < last) throw new IllegalArgumentException("op rows must be in time order: " + row);
            last = time;
            OpType type = OpType.parse(row.get(1).asText());
            int process = row.get(2).asInt();
            String f;
            String key;
            Object value;
            if (type == OpType.INVOKE) {
                if (row.size() < 4 || row.size() > 6) throw new IllegalArgumentException("invoke row needs [t, \"invoke\", p, f, key?, value?]: " + row);
                f = row.get(3).asText();
                key = row.size() > 4 && !row.get(4).isNull() ? row.get(4).asText() : null;
                value = row.size() > 5 ? value(row.get(5)) : null;
            } else if (row.size() <= 4) {
                // Short completion: [t, type, p] or [t, type, p, value]; f and key come from the open invocation.
                Op inv = open.get(process);
                if (inv == null) throw new IllegalArgumentException("completion without invocation: " + row);
                f = inv.f();
                key = inv.key();
                value = row.size() == 4 ? value(row.get(3)) : null;
            } else {
                f = row.get(3).asText();
                key = !row.get(4).isNull() ? row.get(4).asText() : null;
                value = row.size() > 5 ? value(row.get(5)) : null;
            }
            String error = switch (type) {
                case INFO -> "timeout";
                case FAIL -> "ERR";
                default -> null;
            };
            Op op = new Op(out.size(), time, type, process, f, key, value, error);
            if (type == OpType.INVOKE) open.put(process, op);
            else open.remove(process);
            out.add(op);
        }
        return out;
    }

    private static Crash crash(JsonNode c) {
        int cycle = c.path("cycle").asInt(-1);
        if (cycle < 0) throw new IllegalArgumentException("crash needs a cycle: " + c);
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("cycle", "fault", "faultClass", "timeMs", "boundMs", "horizonMs", "recovered", "reason").contains(f)) {
                throw new IllegalArgumentException("unknown crash field '" + f + "'");
            }
        }
        String fault = c.path("fault").asText("kill");
        FaultClass faultClass = FaultClass.valueOf(c.path("faultClass").asText("crash").toUpperCase(java.util.Locale.ROOT));
        long time = millis(c.get("timeMs"));
        JsonNode rec = c.get("recovered");
        if (rec == null || rec.isNull()) {
            return Crash.unavailable(cycle, fault, faultClass, time, c.path("reason").asText("did not come back"));
        }
        Map<String, Object> state = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = rec.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            state.put(e.getKey(), value(e.getValue()));
        }
        JsonNode b = c.get("boundMs");
        DurabilityBound bound = b == null ? DurabilityBound.NONE : b.isNull() ? DurabilityBound.UNBOUNDED : new DurabilityBound(millis(b));
        JsonNode h = c.get("horizonMs");
        if (h != null) {
            if (b != null) throw new IllegalArgumentException("give boundMs or horizonMs, not both: " + c);
            bound = DurabilityBound.ackedBefore(millis(h));
        }
        return Crash.recovered(cycle, fault, faultClass, time, state, bound);
    }

    private static Expect expect(JsonNode e) {
        if (e.isMissingNode()) throw new IllegalArgumentException("'expect' is required");
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("verdicts", "anomalies", "crashAnomalies", "lostAcked", "ackedWrites", "lossWindowMs", "durableHorizonMs",
                    "liveReadAnomalies", "passes", "lostAckedUpper", "lossWindowUpperMs", "ambiguous").contains(f)) {
                throw new IllegalArgumentException("unknown expect field '" + f + "'");
            }
        }
        List<Verdict> verdicts = null;
        if (e.has("verdicts")) {
            verdicts = new ArrayList<>();
            for (JsonNode v : e.get("verdicts")) verdicts.add(Verdict.valueOf(v.asText()));
        }
        List<Map<AnomalyKind, Integer>> perCrash = null;
        if (e.has("crashAnomalies")) {
            perCrash = new ArrayList<>();
            for (JsonNode m : e.get("crashAnomalies")) perCrash.add(kinds(m));
        }
        if (!e.has("anomalies")) throw new IllegalArgumentException("'expect.anomalies' is required ({} for none)");
        return new Expect(verdicts, kinds(e.get("anomalies")), perCrash, longs(e, "lostAcked", 1), longs(e, "ackedWrites", 1),
                longs(e, "lossWindowMs", MS), longs(e, "durableHorizonMs", MS),
                e.has("liveReadAnomalies") ? e.get("liveReadAnomalies").asInt() : null, booleans(e, "passes"),
                longs(e, "lostAckedUpper", 1), longs(e, "lossWindowUpperMs", MS), booleans(e, "ambiguous"));
    }

    private static Map<AnomalyKind, Integer> kinds(JsonNode m) {
        Map<AnomalyKind, Integer> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            int count;
            if (n.isInt()) count = n.asInt();
            else if (n.isTextual() && n.asText().equals("+")) count = AT_LEAST_ONE;
            else throw new IllegalArgumentException("anomaly count must be an integer or \"+\": " + e);
            out.put(AnomalyKind.valueOf(e.getKey()), count);
        }
        return out;
    }

    /** A list of numbers scaled to the checker's unit (ms → ns); -1 stays -1 ("none"). */
    private static List<Long> longs(JsonNode e, String field, long scale) {
        if (!e.has(field)) return null;
        List<Long> out = new ArrayList<>();
        for (JsonNode n : e.get(field)) {
            if (n.isNull()) out.add(null);
            else if (scale == MS) out.add(n.asLong() == -1 ? -1 : millis(n));
            else out.add(n.asLong());
        }
        return out;
    }

    private static List<Boolean> booleans(JsonNode e, String field) {
        if (!e.has(field)) return null;
        List<Boolean> out = new ArrayList<>();
        for (JsonNode n : e.get(field)) out.add(n.asBoolean());
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long millis(JsonNode n) {
        if (n == null || !n.isNumber()) throw new IllegalArgumentException("expected a time in ms, got " + n);
        return Math.round(n.asDouble() * MS);
    }

    /** JSON to the plain types histories use: Long, String, List, null. */
    static Object value(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isIntegralNumber()) return n.asLong();
        if (n.isNumber()) return n.asDouble();
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode x : n) l.add(value(x));
            return l;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), value(e.getValue()));
            }
            return m;
        }
        throw new IllegalArgumentException("unsupported JSON value " + n);
    }

    @Override
    public String toString() {
        return name;
    }
}
