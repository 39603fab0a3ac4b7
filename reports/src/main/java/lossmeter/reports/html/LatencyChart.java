package lossmeter.reports.html;

import java.util.List;

import lossmeter.reports.model.HistorySample;
import lossmeter.reports.model.HistorySample.LatencyBin;

/**
 * Op latency over a whole trial, per time bin: the median as a solid line and the maximum as a
 * dashed one, with each crash's outage (from the crash until ops were invoked again) hatched.
 */
final class LatencyChart {
    private static final int LEFT = 70;
    private static final int WIDTH = 900;
    private static final int HEIGHT = 180;
    private static final int TOP = 16;
    private static final int BOTTOM = 30;

    private LatencyChart() {
    }

    static String render(HistorySample s, String title) {
        Svg svg = new Svg("latency", WIDTH, HEIGHT, title);
        int plotW = WIDTH - LEFT - 10;
        int plotH = HEIGHT - TOP - BOTTOM;
        double end = Math.max(1, s.trialEndNs());
        double maxMs = 1;
        for (LatencyBin b : s.latency()) maxMs = Math.max(maxMs, b.maxMs());
        for (long[] o : s.outages()) {
            double x1 = LEFT + o[0] / end * plotW;
            double x2 = LEFT + Math.min(end, o[1]) / end * plotW;
            svg.rect(x1, TOP, Math.max(2, x2 - x1), plotH, "fault-window",
                    "crash at " + Format.ms(o[0] / 1_000_000) + ", no ops for " + Format.ms((o[1] - o[0]) / 1_000_000));
        }
        svg.line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "axis-line");
        svg.line(LEFT, TOP, LEFT, TOP + plotH, "axis-line");
        svg.text(LEFT - 6, TOP + 8, Format.num(maxMs) + " ms", "axis", "end");
        svg.text(LEFT - 6, TOP + plotH, "0", "axis", "end");
        LatencyBin[] bins = s.latency();
        List<double[]> med = new java.util.ArrayList<>();
        List<double[]> mx = new java.util.ArrayList<>();
        for (LatencyBin b : bins) {
            if (b.count() == 0) continue;
            double x = LEFT + b.startNs() / end * plotW;
            med.add(new double[] {x, TOP + plotH - b.p50Ms() / maxMs * plotH});
            mx.add(new double[] {x, TOP + plotH - b.maxMs() / maxMs * plotH});
        }
        svg.polyline(xs(mx), ys(mx), "lat-max");
        svg.polyline(xs(med), ys(med), "lat-p50");
        double secs = end / 1e9;
        for (int k = 0; k <= 4; k++) {
            double x = LEFT + plotW * k / 4.0;
            svg.text(x, HEIGHT - 8, Format.num(secs * k / 4.0) + " s", "axis", k == 0 ? "start" : k == 4 ? "end" : "middle");
        }
        return svg.end();
    }

    private static double[] xs(List<double[]> pts) {
        return pts.stream().mapToDouble(p -> p[0]).toArray();
    }

    private static double[] ys(List<double[]> pts) {
        return pts.stream().mapToDouble(p -> p[1]).toArray();
    }
}
