package lossmeter.reports.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lossmeter.reports.model.CrashRecord;
import lossmeter.reports.model.CrashVerdict;
import lossmeter.reports.model.ResultsDir;
import lossmeter.reports.model.Trial;

/** Per policy, the distribution of data-loss windows over all its crashes, with the bounds drawn. */
final class DistributionSection {
    private static final Pattern GATE = Pattern.compile("(\\w+)=(\\d+)(ms|s|m|h)");

    private DistributionSection() {
    }

    static void render(StringBuilder out, ResultsDir d) {
        if (d.results().cells().isEmpty()) return;
        out.append("<h2 id=\"windows\">Data-loss windows</h2><p class=\"legend\">One dot per crash (larger: several crashes at "
                + "the same window), ✕ a crash judged VIOLATION; dashed tick: the bound the fault allowed; red dashed line: "
                + "the policy's gate; a thin whisker from a dot: the recovered state also fits a longer window, up to the "
                + "whisker's end (the dot, the least loss, is what is judged).</p>");
        Map<String, Long> gates = gates(d.results().gate());
        for (String policy : d.results().policies()) {
            List<WindowDistributionChart.Point> points = new ArrayList<>();
            Map<String, Long> bounds = new LinkedHashMap<>();
            for (Trial t : d.trials()) {
                if (t.verdict() == null || !policy.equals(t.verdict().policy())) continue;
                for (CrashVerdict c : t.verdict().crashes()) {
                    String upper = c.ambiguous() ? " (the state also fits " + c.lossWindowUpperMs() + " ms, lost " + c.lostAckedUpper() + ")" : "";
                    points.add(new WindowDistributionChart.Point(c.fault(), c.lossWindowMs(), c.lossWindowUpperMs(), "VIOLATION".equals(c.verdict()),
                            t.id() + " crash " + c.cycle() + ": " + c.verdict() + ", window " + c.lossWindowMs() + " ms, lost "
                                    + c.lostAcked() + upper));
                    CrashRecord rec = t.crash(c.cycle());
                    if (rec != null && rec.boundNanos() != null && rec.boundNanos() >= 0 && rec.boundNanos() < Long.MAX_VALUE / 2) {
                        bounds.merge(c.fault(), rec.boundNanos() / 1_000_000, Math::max);
                    }
                }
            }
            out.append("<h3>").append(Html.esc(policy)).append("</h3>");
            if (points.isEmpty()) {
                out.append("<p>No checked crashes.</p>");
                continue;
            }
            out.append(WindowDistributionChart.render(policy, points, bounds, gates.get(policy)));
        }
    }

    /** The gate as results.json spells it, e.g. {@code always=0ms,everysec=2s}, in ms per policy. */
    static Map<String, Long> gates(String gate) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (gate == null) return m;
        Matcher x = GATE.matcher(gate);
        while (x.find()) {
            long v = Long.parseLong(x.group(2));
            long ms = switch (x.group(3)) {
                case "s" -> v * 1000;
                case "m" -> v * 60_000;
                case "h" -> v * 3_600_000;
                default -> v;
            };
            m.put(x.group(1), ms);
        }
        return m;
    }
}
