package lossmeter.reports.html;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lossmeter.reports.model.Anomaly;
import lossmeter.reports.model.CrashVerdict;
import lossmeter.reports.model.HistorySample;
import lossmeter.reports.model.HistorySample.ProcessRow;
import lossmeter.reports.model.OpRecord;

/**
 * Ops per process over the last seconds before a crash, binned: one row per process, a bar per time
 * bin whose darkness is the number of acknowledged ops, a triangle where ops ended with an unknown
 * outcome (info) and a cross where they failed. The span the verdict says acknowledged writes were
 * lost from is hatched, the anomalies' evidence ops are diamonds, and the crash is a line.
 */
final class TimelineChart {
    private static final int LEFT = 70;
    private static final int WIDTH = 900;
    private static final int ROW = 14;
    private static final int TOP = 24;

    private TimelineChart() {
    }

    static String render(HistorySample s, CrashVerdict crash, String title) {
        List<ProcessRow> rows = s.rows();
        int plotW = WIDTH - LEFT - 10;
        int height = TOP + Math.max(1, rows.size()) * ROW + 34;
        Svg svg = new Svg("timeline", WIDTH, height, title);
        double span = Math.max(1, s.windowEndNs() - s.windowStartNs());
        double binW = (double) plotW / s.bins();
        int max = 1;
        for (ProcessRow r : rows) {
            for (int b = 0; b < s.bins(); b++) max = Math.max(max, r.ok()[b]);
        }
        int plotBottom = TOP + Math.max(1, rows.size()) * ROW;
        // The data-loss window the checker reported: the span whose acknowledged writes did not all survive.
        if (crash.lossWindowMs() > 0) {
            double from = Math.max(s.windowStartNs(), s.windowEndNs() - crash.lossWindowMs() * 1_000_000.0);
            double x = LEFT + (from - s.windowStartNs()) / span * plotW;
            svg.rect(x, TOP - 4, LEFT + plotW - x, plotBottom - TOP + 8, "loss-window",
                    "data-loss window " + crash.lossWindowMs() + " ms: " + crash.lostAcked() + " acknowledged writes lost");
            svg.text(x + 2, TOP - 8, "lost " + Format.count(crash.lostAcked()) + " acked (window " + Format.ms(crash.lossWindowMs()) + ")", "label warn");
        }
        // An earlier crash's outage inside the window: hatched, like the fault windows of the latency chart.
        for (long[] o : s.outages()) {
            if (o[0] >= s.windowEndNs() || o[1] <= s.windowStartNs()) continue;
            double x1 = LEFT + (Math.max(o[0], s.windowStartNs()) - s.windowStartNs()) / span * plotW;
            double x2 = LEFT + (Math.min(o[1], s.windowEndNs()) - s.windowStartNs()) / span * plotW;
            svg.rect(x1, TOP, Math.max(2, x2 - x1), plotBottom - TOP, "fault-window",
                    "earlier crash at " + Format.ms(o[0] / 1_000_000) + ": no ops for " + Format.ms((o[1] - o[0]) / 1_000_000));
        }
        for (int i = 0; i < rows.size(); i++) {
            ProcessRow r = rows.get(i);
            double y = TOP + i * ROW;
            svg.text(LEFT - 6, y + ROW - 3, r.process() == HistorySample.OTHERS ? "others" : "p" + r.process(), "axis", "end");
            // Darkness in five steps, and neighbouring bins of the same step drawn as one bar: the chart's size is
            // bounded by rows × bins however many ops there were, and usually far below it.
            int b0 = 0;
            for (int b = 1; b <= s.bins(); b++) {
                if (b < s.bins() && level(r.ok()[b], max) == level(r.ok()[b0], max)) continue;
                int lv = level(r.ok()[b0], max);
                if (lv > 0) svg.rect(LEFT + b0 * binW, y + 1, (b - b0) * binW, ROW - 2, "op-ok", null, lv / 5.0);
                b0 = b;
            }
            for (int b = 0; b < s.bins(); b++) {
                double x = LEFT + b * binW;
                if (r.info()[b] > 0) svg.marker("triangle", x + binW / 2, y + ROW / 2.0, 4, "op-info", r.info()[b] + " op(s) with unknown outcome (info)");
                if (r.fail()[b] > 0) svg.marker("cross", x + binW / 2, y + ROW / 2.0, 3, "op-fail", r.fail()[b] + " failed op(s)");
            }
        }
        // Evidence ops, one diamond per row and bin (a crash can have thousands of anomalies); the tooltip names the first.
        Map<Long, int[]> marks = new LinkedHashMap<>();
        Map<Long, String> firstTip = new LinkedHashMap<>();
        for (Anomaly a : crash.anomalies()) {
            for (OpRecord op : a.ops()) {
                if (op.time() < s.windowStartNs() || op.time() > s.windowEndNs()) continue;
                int row = rowOf(rows, op.process());
                int bin = (int) Math.min(s.bins() - 1, (op.time() - s.windowStartNs()) / span * s.bins());
                long k = (long) row * s.bins() + bin;
                marks.computeIfAbsent(k, x -> new int[1])[0]++;
                firstTip.putIfAbsent(k, a.kind() + ": " + op.type() + " " + op.f() + " " + op.key() + " "
                        + Html.clip(String.valueOf(op.value()), 80));
            }
        }
        for (Map.Entry<Long, int[]> m : marks.entrySet()) {
            int row = (int) (m.getKey() / s.bins());
            int bin = (int) (m.getKey() % s.bins());
            int n = m.getValue()[0];
            svg.marker("diamond", LEFT + (bin + 0.5) * binW, TOP + row * ROW + ROW / 2.0, 5, "evidence",
                    firstTip.get(m.getKey()) + (n > 1 ? " (and " + (n - 1) + " more evidence ops here)" : ""));
        }
        svg.line(LEFT + plotW, TOP - 6, LEFT + plotW, plotBottom + 4, "crash-line");
        svg.text(LEFT + plotW, plotBottom + 16, "crash (" + crash.fault() + ")", "label crash", "end");
        double secs = span / 1e9;
        for (int k = 0; k <= 4; k++) {
            double x = LEFT + plotW * k / 4.0;
            svg.line(x, plotBottom, x, plotBottom + 3, "tick");
            svg.text(x, plotBottom + 28, "−" + Format.num(secs * (4 - k) / 4.0) + " s", "axis", k == 0 ? "start" : k == 4 ? "end" : "middle");
        }
        return svg.end();
    }

    /** 0 for no ops, else 1..5 by share of the busiest bin. */
    private static int level(int count, int max) {
        return count == 0 ? 0 : 1 + Math.min(4, (int) (4.0 * count / max));
    }

    private static int rowOf(List<ProcessRow> rows, int process) {
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).process() == process) return i;
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).process() == HistorySample.OTHERS) return i;
        return Math.max(0, rows.size() - 1);
    }
}
