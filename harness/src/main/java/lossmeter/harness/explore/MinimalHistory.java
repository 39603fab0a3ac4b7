package lossmeter.harness.explore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lossmeter.harness.run.FaultRecord;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.history.History;
import lossmeter.workloads.history.Op;

/**
 * A short failing trial told whole, for people: every op in invocation order with its outcome,
 * the ops an anomaly names marked with its kind, and at each crash its fault, its crash point,
 * the state read back and the verdict. For the terminal and the reproducer in the report.
 */
public final class MinimalHistory {
    private static final int MAX_VALUE = 160;

    private MinimalHistory() {
    }

    public static List<String> lines(History h, CheckResult check, List<Crash> crashes, List<FaultRecord> records) {
        Map<Long, Set<String>> marks = new HashMap<>();
        Map<Integer, CrashVerdict> verdicts = new HashMap<>();
        if (check != null) {
            for (CrashVerdict c : check.crashes()) {
                verdicts.put(c.cycle(), c);
                for (Anomaly a : c.anomalies()) mark(marks, a);
            }
            for (Anomaly a : check.liveReadAnomalies()) mark(marks, a);
        }
        List<String> out = new ArrayList<>();
        int next = 0;
        for (History.Pair p : h.pairs()) {
            while (next < crashes.size() && crashes.get(next).time() < p.invokeTime()) {
                crash(out, crashes.get(next), verdicts.get(crashes.get(next).cycle()), record(records, next));
                next++;
            }
            String line = op(p, marks);
            if (next < crashes.size() && p.completion() != null && p.completion().time() > crashes.get(next).time()) {
                line += "   (answered after crash " + crashes.get(next).cycle() + " began)";
            }
            out.add(line);
        }
        while (next < crashes.size()) {
            crash(out, crashes.get(next), verdicts.get(crashes.get(next).cycle()), record(records, next));
            next++;
        }
        return out;
    }

    private static FaultRecord record(List<FaultRecord> records, int i) {
        return i < records.size() ? records.get(i) : null;
    }

    private static void mark(Map<Long, Set<String>> marks, Anomaly a) {
        for (Op op : a.ops()) marks.computeIfAbsent(op.index(), x -> new LinkedHashSet<>()).add(a.kind().name());
    }

    private static String op(History.Pair p, Map<Long, Set<String>> marks) {
        Op inv = p.invoke();
        Op done = p.completion();
        StringBuilder sb = new StringBuilder(String.format("%8.3fs  p%-3d %-6s", inv.time() / 1e9, inv.process(), inv.f()));
        if (inv.key() != null) sb.append(' ').append(inv.key());
        if (inv.value() != null) sb.append(' ').append(cut(String.valueOf(inv.value())));
        sb.append("  → ");
        if (done == null) {
            sb.append("(no completion)");
        } else {
            sb.append(done.type().name().toLowerCase(java.util.Locale.ROOT));
            if (done.value() != null) sb.append(' ').append(cut(String.valueOf(done.value())));
            if (done.error() != null) sb.append(" (").append(cut(done.error())).append(')');
        }
        Set<String> kinds = new LinkedHashSet<>();
        if (marks.containsKey(inv.index())) kinds.addAll(marks.get(inv.index()));
        if (done != null && marks.containsKey(done.index())) kinds.addAll(marks.get(done.index()));
        if (!kinds.isEmpty()) sb.append("   ◀ ").append(String.join(", ", kinds));
        return sb.toString();
    }

    private static void crash(List<String> out, Crash c, CrashVerdict v, FaultRecord r) {
        String point = r == null || r.point() == null ? "" : ", crash point " + r.point().describe();
        out.add(String.format("%8.3fs  ── crash %d: %s%s ──", c.time() / 1e9, c.cycle(), c.fault(), point));
        if (c.recovered() != null) out.add("           read back: " + cut(new java.util.TreeMap<>(c.recovered()).toString()));
        if (c.unavailableReason() != null) out.add("           " + cut(c.unavailableReason()));
        if (v != null) {
            out.add("           verdict: " + v.verdict() + (v.anomalies().isEmpty() ? "" : " — " + cut(v.anomalies().getFirst().message())));
        }
    }

    private static String cut(String s) {
        return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE) + "…";
    }
}
