package lossmeter.harness.run;

import java.util.ArrayList;
import java.util.List;

/** The campaign's summary for people: one row per policy × fault, then how to reproduce each failing trial. */
public final class SummaryTable {
    /** Small number formats for the summary. */
    private static final class Format {
        static String percent(double p) {
            return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
        }
    }

    private static final String[] HEADERS = {"policy", "fault", "trials", "crashes", "effective", "acked writes", "lost acked",
            "max window", "violations", "unavailable", "indeterminate"};

    private SummaryTable() {
    }

    public static String render(CampaignResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (CellResult c : r.cells()) {
            String effective = c.effective() + "/" + c.injected() + (c.noEffect(r.spec().requireEffectPercent()) ? " NO EFFECT" : "");
            rows.add(new String[]{c.policy().confName(), c.fault(), Integer.toString(c.trials()), SummaryLabels.crashes(r, c),
                    effective, Long.toString(c.ackedWrites()), Long.toString(c.lostAcked()), window(c),
                    Integer.toString(c.violations()), Integer.toString(c.unavailable()), Integer.toString(c.indeterminate())});
        }
        int[] width = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                // Names left-aligned, numbers right-aligned.
                String cell = i < 2 ? String.format("%-" + width[i] + "s", row[i]) : String.format("%" + width[i] + "s", row[i]);
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append('\n');
        }
        for (CellResult c : r.overGate()) {
            sb.append("gate exceeded: ").append(c.policy().confName()).append('-').append(c.fault()).append(" lost up to ")
                    .append(c.maxLossWindowMs()).append("ms of acknowledged writes (gate ").append(r.spec().gate()).append(")\n");
        }
        for (CellResult c : r.noEffect()) {
            sb.append("NO EFFECT: ").append(c.policy().confName()).append('-').append(c.fault()).append(" took effect in ")
                    .append(c.effective()).append(" of ").append(c.injected()).append(" crashes (below --require-effect ")
                    .append(Format.percent(r.spec().requireEffectPercent())).append("%): it says nothing about the target\n");
        }
        if (r.aborted() != null) sb.append("aborted: ").append(r.aborted()).append('\n');
        List<TrialResult> failing = r.failing();
        if (!failing.isEmpty()) {
            sb.append("\nfailing trials (reproduce each with the command under it):\n");
            for (TrialResult t : failing) {
                sb.append("  ").append(t.id()).append(": ").append(t.verdict());
                if (t.error() != null) sb.append(" (").append(t.error().lines().findFirst().orElse("")).append(')');
                sb.append("\n    ").append(r.spec().reproduceCommand(t.id(), t.node())).append('\n');
            }
        }
        sb.append('\n').append(SummaryLabels.verdict(r)).append(" (seed ").append(r.spec().seed()).append(")\n");
        return sb.toString();
    }

    /** The max window, and the most a recovered state also fit when that is more: the window is a range, not understated. */
    static String window(CellResult c) {
        String w = c.maxLossWindowMs() + "ms";
        return c.maxLossWindowUpperMs() > c.maxLossWindowMs() ? w + " (≤ " + c.maxLossWindowUpperMs() + "ms)" : w;
    }
}
