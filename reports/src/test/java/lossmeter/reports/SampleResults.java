package lossmeter.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes results dirs in the harness's file formats for tests: a passing cell, a cell with a
 * violation whose keys and values are hostile markup, an unavailable crash and an indeterminate
 * trial, each with a small history.
 */
public final class SampleResults {
    /** Target-controlled text that must stay inert in the page. */
    public static final String HOSTILE_KEY = "<script>alert(1)</script>";
    public static final String HOSTILE_VALUE = "\"'&</svg><img src=x onerror=alert(2)>";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] KINDS = {"LOST_ACKED", "HOLE", "PHANTOM", "DUPLICATE", "RESURRECTED", "TORN_TXN", "STALE_READ", "CORRUPT"};

    private SampleResults() {
    }

    /** A failing campaign: always×kill passes, everysec×kill has a violation with hostile evidence, no×kill an unavailable crash and an indeterminate trial. */
    public static Path failing(Path dir) {
        List<Object> cells = List.of(
                cell("always", "kill", 1, 2, 500, 0, 0, 0, 0, Map.of()),
                cell("everysec", "kill", 1, 2, 400, 3, 2300, 1, 0, Map.of("LOST_ACKED", 1, "HOLE", 1)),
                cell("no", "kill", 2, 2, 300, 0, 0, 0, 1, Map.of()));
        List<Object> trials = List.of(
                trialSummary("always-kill-1", "OK", null, null),
                trialSummary("everysec-kill-1", "VIOLATION", null, "./lossmeter run --seed 1 --only everysec-kill-1"),
                trialSummary("no-kill-1", "UNAVAILABLE", null, "./lossmeter run --seed 1 --only no-kill-1"),
                trialSummary("no-kill-2", "INDETERMINATE", "harness failed: <boom>", "./lossmeter run --seed 1 --only no-kill-2"));
        write(dir.resolve("results.json"), results("FAIL", cells, trials, List.of("everysec-kill")));
        trial(dir, "always-kill-1", "always", List.of(crash(1, "kill", 1_500, "OK", 0, 0, List.of()),
                crash(2, "restart", 3_200, "OK", 0, 0, List.of())));
        Map<String, Object> lost = anomaly("LOST_ACKED", HOSTILE_KEY, "acknowledged " + HOSTILE_VALUE + " is gone",
                HOSTILE_VALUE, "<b>bold</b>", List.of(op(10, 1_400_000_000L, "ok", 2, "set", HOSTILE_KEY, HOSTILE_VALUE)));
        Map<String, Object> hole = anomaly("HOLE", "l1", "a hole", List.of("a", "b"), List.of("b"),
                List.of(op(11, 1_450_000_000L, "ok", 3, "rpush", "l1", "a")));
        trial(dir, "everysec-kill-1", "everysec", List.of(crash(1, "kill", 1_500, "VIOLATION", 3, 2300, List.of(lost, hole)),
                crash(2, "restart", 3_200, "OK", 0, 0, List.of())));
        trial(dir, "no-kill-1", "no", List.of(unavailableCrash(1, "kill", 1_500)));
        Path t = dir.resolve("trials/no-kill-2");
        mkdirs(t);
        return dir;
    }

    /**
     * A passing power-loss campaign under no whose crash came back empty after a FLUSHALL: the
     * checker's least loss is 294 ms (7 writes), the most the state also fits 2,980 ms (100 writes).
     */
    public static Path ambiguous(Path dir) {
        Map<String, Object> cell = cell("no", "power-loss", 1, 2, 400, 7, 294, 0, 0, Map.of());
        cell.put("maxLossWindowUpperMs", 2980);
        write(dir.resolve("results.json"), results("PASS", List.of(cell), List.of(trialSummary("no-power-loss-1", "LOSS_WITHIN_POLICY",
                null, null)), List.of()));
        Map<String, Object> c = crash(1, "power-loss", 3_000, "LOSS_WITHIN_POLICY", 7, 294, List.of());
        c.put("lostAckedUpper", 100);
        c.put("lossWindowUpperMs", 2980);
        c.put("ambiguous", true);
        trial(dir, "no-power-loss-1", "no", List.of(c, crash(2, "restart", 3_600, "OK", 0, 0, List.of())));
        return dir;
    }

    /**
     * A campaign whose power-loss cell took effect in 1 of 4 crashes (NO EFFECT), each crash with its
     * crash point and effect in crashes.json.
     */
    public static Path noEffect(Path dir) {
        Map<String, Object> cell = cell("always", "power-loss", 2, 6, 400, 0, 0, 0, 0, Map.of());
        cell.put("injected", 4);
        cell.put("effective", 1);
        cell.put("noEffect", true);
        Map<String, Object> r = results("FAIL", List.of(cell), List.of(trialSummary("always-power-loss-1", "OK", null, null),
                trialSummary("always-power-loss-2", "OK", null, null)), List.of());
        r.put("requireEffectPercent", 50);
        r.put("crashPoint", "time");
        write(dir.resolve("results.json"), r);
        for (int n = 1; n <= 2; n++) {
            Map<String, Object> hit = crash(1, "power-loss", 1_500, "OK", 0, 0, List.of());
            hit.put("crashPoint", Map.of("mode", "io", "describe", "before fdatasync #3 of appendonly.aof* at /appendonly.aof"));
            hit.put("effect", Map.of("effective", n == 1, "summary", n == 1 ? "power loss dropped 812 unsynced bytes"
                    : "power loss dropped 0 unsynced bytes: nothing was unsynced"));
            Map<String, Object> miss = crash(2, "power-loss", 2_500, "OK", 0, 0, List.of());
            miss.put("crashPoint", Map.of("mode", "time", "describe", "time"));
            miss.put("effect", Map.of("effective", false, "summary", "power loss dropped 0 unsynced bytes: nothing was unsynced"));
            Map<String, Object> last = crash(3, "restart", 3_200, "OK", 0, 0, List.of());
            last.put("crashPoint", Map.of("mode", "time", "describe", "time"));
            last.put("effect", Map.of("effective", true, "summary", "SHUTDOWN sent to the running target"));
            last.put("final", true);
            trial(dir, "always-power-loss-" + n, "always", List.of(hit, miss, last));
        }
        return dir;
    }

    /** A campaign that ran nothing (e.g. aborted before the first trial). */
    public static Path empty(Path dir) {
        Map<String, Object> r = results("FAIL", List.of(), List.of(), List.of());
        r.put("aborted", "the target never came up");
        write(dir.resolve("results.json"), r);
        return dir;
    }

    public static Map<String, Object> results(String verdict, List<Object> cells, List<Object> trials, List<String> overGate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", verdict);
        m.put("seed", 1);
        m.put("target", "cmd:./srv --port {port} " + HOSTILE_KEY);
        m.put("targetVersion", "redis 7.0.15");
        m.put("cells", cells);
        m.put("command", "lossmeter run --policies always,everysec,no --faults kill");
        m.put("workload", "mixed");
        m.put("gate", "always=0ms,everysec=2s");
        m.put("overGate", overGate);
        m.put("startedAt", "2026-01-01T00:00:00Z");
        m.put("durationMs", 12_000);
        m.put("aborted", null);
        m.put("machine", Map.of("host", "ci", "cpus", "2"));
        m.put("trials", trials);
        return m;
    }

    public static Map<String, Object> cell(String policy, String fault, int trials, int crashes, long acked, long lost, long window,
                                           int violations, int unavailable, Map<String, Integer> anomalies) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", policy);
        m.put("fault", fault);
        m.put("trials", trials);
        m.put("crashes", crashes);
        m.put("ackedWrites", acked);
        m.put("lostAcked", lost);
        m.put("maxLossWindowMs", window);
        m.put("violations", violations);
        m.put("unavailable", unavailable);
        Map<String, Object> a = new LinkedHashMap<>();
        for (String k : KINDS) a.put(k, anomalies.getOrDefault(k, 0));
        m.put("anomalies", a);
        return m;
    }

    static Map<String, Object> trialSummary(String id, String verdict, String error, String reproduce) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", id);
        m.put("verdict", verdict);
        m.put("seed", 5);
        m.put("error", error);
        m.put("reproduce", reproduce);
        return m;
    }

    static Map<String, Object> crash(int cycle, String fault, long timeMs, String verdict, long lost, long window, List<Object> anomalies) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycle", cycle);
        m.put("fault", fault);
        m.put("crashTimeMs", timeMs);
        m.put("verdict", verdict);
        m.put("ackedWrites", 200);
        m.put("lostAcked", lost);
        m.put("lossWindowMs", window);
        m.put("durableHorizonMs", timeMs - window);
        m.put("note", null);
        m.put("anomalies", anomalies);
        return m;
    }

    static Map<String, Object> unavailableCrash(int cycle, String fault, long timeMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycle", cycle);
        m.put("fault", fault);
        m.put("crashTimeMs", timeMs);
        m.put("verdict", "UNAVAILABLE");
        m.put("note", "did not answer PING within 30s");
        return m;
    }

    static Map<String, Object> anomaly(String kind, String key, String message, Object expected, Object recovered, List<Object> ops) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("key", key);
        m.put("message", message);
        m.put("expected", expected);
        m.put("recovered", recovered);
        m.put("ops", ops);
        return m;
    }

    static Map<String, Object> op(long index, long time, String type, int process, String f, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("time", time);
        m.put("type", type);
        m.put("process", process);
        m.put("f", f);
        m.put("key", key);
        m.put("value", value);
        m.put("error", null);
        return m;
    }

    @SuppressWarnings("unchecked")
    static void trial(Path root, String id, String policy, List<Map<String, Object>> crashes) {
        Path dir = root.resolve("trials").resolve(id);
        mkdirs(dir);
        Map<String, Object> v = new LinkedHashMap<>();
        boolean bad = crashes.stream().anyMatch(c -> !"OK".equals(c.get("verdict")));
        v.put("verdict", bad ? crashes.stream().map(c -> (String) c.get("verdict")).filter(s -> !"OK".equals(s)).findFirst().orElseThrow() : "OK");
        v.put("trial", id);
        v.put("seed", 5);
        v.put("policy", policy);
        v.put("fault", "kill");
        v.put("windowMs", 2000);
        v.put("targetVersion", "redis 7.0.15");
        v.put("metrics", Map.of("ops", 1000, "ackedWrites", 400, "lostAcked", 3, "maxLossWindowMs", 2300));
        v.put("crashes", crashes);
        v.put("liveReadAnomalies", List.of());
        write(dir.resolve("verdict.json"), v);
        List<Object> cs = new ArrayList<>();
        for (Map<String, Object> c : crashes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cycle", c.get("cycle"));
            m.put("fault", c.get("fault"));
            m.put("time", ((Number) c.get("crashTimeMs")).longValue() * 1_000_000);
            m.put("bound", "0ms");
            m.put("boundNanos", 0);
            m.put("recoveryMs", 200);
            m.put("recovered", Map.of(HOSTILE_KEY, HOSTILE_VALUE));
            // Crash points and effects as the harness records them (the verdict sample passes them through).
            if (c.containsKey("crashPoint")) m.put("crashPoint", c.remove("crashPoint"));
            if (c.containsKey("effect")) m.put("effect", c.remove("effect"));
            if (c.containsKey("final")) m.put("final", c.remove("final"));
            cs.add(m);
        }
        write(dir.resolve("crashes.json"), Map.of("trial", id, "crashes", cs));
        // A small history: four processes, an op every 10 ms each, an outage after each crash.
        StringBuilder h = new StringBuilder();
        long index = 0;
        for (long step = 0; step < 4_000_000_000L; step += 10_000_000L) {
            final long t = step;
            boolean down = crashes.stream().anyMatch(c -> {
                long ct = ((Number) c.get("crashTimeMs")).longValue() * 1_000_000;
                return t >= ct && t < ct + 300_000_000L;
            });
            if (down) continue;
            for (int p = 0; p < 4; p++) {
                String type = t % 700_000_000L == 0 ? "info" : t % 330_000_000L == 0 ? "fail" : "ok";
                h.append(line(op(index++, t + p, "invoke", p, "set", HOSTILE_KEY, HOSTILE_VALUE))).append('\n');
                h.append(line(op(index++, t + p + 2_000_000L + p * 500_000L, type, p, "set", HOSTILE_KEY, HOSTILE_VALUE))).append('\n');
            }
        }
        try {
            Files.writeString(dir.resolve("history.jsonl"), h, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("target.log"), "log line " + HOSTILE_KEY + "\n");
            Files.writeString(dir.resolve("events.log"), "crash\n");
            mkdirs(dir.resolve("crash-1-data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, Object o) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
