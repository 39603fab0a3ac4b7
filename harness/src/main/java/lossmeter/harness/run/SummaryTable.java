package lossmeter.harness.run;

import java.util.ArrayList;
import java.util.List;

/** The campaign's summary for people: one row per policy × fault, then how to reproduce each failing trial. */
public final class SummaryTable {
    private static final String[] HEADERS = {"policy", "fault", "trials", "crashes", "acked writes", "lost acked", "max window",
            "violations", "unavailable", "indeterminate"};

    private SummaryTable() {
    }

    public static String render(CampaignResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (CellResult c : r.cells()) {
            rows.add(new String[]{c.policy().confName(), c.fault(), Integer.toString(c.trials()), SummaryLabels.crashes(r, c),
                    Long.toString(c.ackedWrites()), Long.toString(c.lostAcked()), c.maxLossWindowMs() + "ms",
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
        if (r.aborted() != null) sb.append("aborted: ").append(r.aborted()).append('\n');
        List<TrialResult> failing = r.failing();
        if (!failing.isEmpty()) {
            sb.append("\nfailing trials (reproduce each with the command under it):\n");
            for (TrialResult t : failing) {
                sb.append("  ").append(t.id()).append(": ").append(t.verdict());
                if (t.error() != null) sb.append(" (").append(t.error().lines().findFirst().orElse("")).append(')');
                sb.append("\n    ").append(r.spec().reproduceCommand(t.id())).append('\n');
            }
        }
        sb.append('\n').append(SummaryLabels.verdict(r)).append(" (seed ").append(r.spec().seed()).append(")\n");
        return sb.toString();
    }
}
