package lossmeter.reports.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data-loss windows of every crash of one policy, one row per fault: a dot per crash (crashes at
 * the same pixel are one dot, larger, so thousands of crashes stay a few hundred marks), a dashed
 * tick for the bound the fault allowed, and a full-height line for the policy's gate. A crash whose
 * recovered state also fits more loss gets a thin whisker from its dot to that upper window (one per
 * dot: the longest of the crashes it stands for).
 */
final class WindowDistributionChart {
    private static final int LEFT = 110;
    private static final int WIDTH = 900;
    private static final int ROW = 34;
    private static final int TOP = 22;

    /** One crash's window and the most its state also fits ({@code upperMs}); {@code violation} draws it as a cross instead of a dot. */
    record Point(String fault, long windowMs, long upperMs, boolean violation, String label) {
        Point(String fault, long windowMs, boolean violation, String label) {
            this(fault, windowMs, windowMs, violation, label);
        }
    }

    private WindowDistributionChart() {
    }

    /**
     * @param bounds per fault, the window its crashes were allowed (null: reported only)
     * @param gateMs the policy's gate, or null when the policy is not gated
     */
    static String render(String policy, List<Point> points, Map<String, Long> bounds, Long gateMs) {
        Map<String, List<Point>> byFault = new LinkedHashMap<>();
        for (Point p : points) byFault.computeIfAbsent(p.fault(), k -> new ArrayList<>()).add(p);
        bounds.keySet().forEach(f -> byFault.computeIfAbsent(f, k -> new ArrayList<>()));
        int plotW = WIDTH - LEFT - 20;
        int height = TOP + Math.max(1, byFault.size()) * ROW + 30;
        Svg svg = new Svg("distribution", WIDTH, height, "data-loss windows of every crash under " + policy);
        // At least 100 ms of axis, so a campaign without loss does not get a scale of 0, 0, 1, 1 ms.
        long max = 100;
        for (Point p : points) max = Math.max(max, Math.max(p.windowMs(), p.upperMs()));
        for (Long b : bounds.values()) if (b != null) max = Math.max(max, b);
        if (gateMs != null) max = Math.max(max, gateMs);
        double scale = plotW / (max * 1.05);
        int plotBottom = TOP + Math.max(1, byFault.size()) * ROW;
        svg.line(LEFT, plotBottom, LEFT + plotW, plotBottom, "axis-line");
        int row = 0;
        for (Map.Entry<String, List<Point>> e : byFault.entrySet()) {
            double cy = TOP + row * ROW + ROW / 2.0;
            svg.text(LEFT - 8, cy + 4, e.getKey(), "axis", "end");
            svg.line(LEFT, cy, LEFT + plotW, cy, "grid");
            Long bound = bounds.get(e.getKey());
            if (bound != null) {
                double x = LEFT + bound * scale;
                svg.line(x, cy - ROW / 2.0 + 3, x, cy + ROW / 2.0 - 3, "bound");
                svg.text(x + 3, cy - ROW / 2.0 + 11, "bound " + Format.ms(bound), "label");
            }
            // Aggregate by pixel column: the chart's size depends on its width, not on the number of crashes.
            Map<Integer, List<Point>> columns = new TreeMap<>();
            for (Point p : e.getValue()) columns.computeIfAbsent((int) Math.round(p.windowMs() * scale), k -> new ArrayList<>()).add(p);
            for (Map.Entry<Integer, List<Point>> c : columns.entrySet()) {
                List<Point> ps = c.getValue();
                long violations = ps.stream().filter(Point::violation).count();
                double x = LEFT + c.getKey();
                long upper = ps.stream().mapToLong(Point::upperMs).max().orElse(0);
                double ux = LEFT + Math.round(upper * scale);
                if (ux > x) {
                    // Drawn before the dot, so the dot (the judged, least loss) stays on top.
                    svg.line(x, cy, ux, cy, "range");
                    svg.line(ux, cy - 4, ux, cy + 4, "range");
                }
                String tip = ps.size() == 1 ? ps.get(0).label()
                        : ps.size() + " crashes with window ≈ " + Format.ms(ps.get(0).windowMs()) + (violations > 0 ? ", " + violations + " violating" : "");
                if (violations > 0) {
                    svg.marker("cross", x, cy, 6, "dot-violation", tip);
                } else {
                    svg.circle(x, cy, Math.min(10, 3 + Math.sqrt(ps.size())), "dot", tip);
                }
            }
            row++;
        }
        if (gateMs != null) {
            double x = LEFT + gateMs * scale;
            svg.line(x, TOP - 6, x, plotBottom, "gate");
            // Near the right edge the label goes to the left of its line, so it is not cut off.
            boolean right = x > LEFT + plotW * 0.8;
            svg.text(right ? x - 3 : x + 3, TOP - 8, "gate " + Format.ms(gateMs), "label gate-label", right ? "end" : "start");
        }
        for (int k = 0; k <= 4; k++) {
            double x = LEFT + plotW * k / 4.0;
            svg.text(x, plotBottom + 18, Format.ms(Math.round(max * 1.05 * k / 4.0)), "axis", k == 0 ? "start" : k == 4 ? "end" : "middle");
        }
        return svg.end();
    }
}
