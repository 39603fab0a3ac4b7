package lossmeter.reports.html;

import java.util.Map;

import lossmeter.reports.model.Cell;
import lossmeter.reports.model.Results;
import lossmeter.reports.model.ResultsDir;

/** The top of the report: the verdict banner, what was tested, and the policy × fault matrix. */
final class SummarySection {
    private SummarySection() {
    }

    static void render(StringBuilder out, ResultsDir d) {
        Results r = d.results();
        long violations = r.cells().stream().mapToLong(Cell::violations).sum();
        long unavailable = r.cells().stream().mapToLong(Cell::unavailable).sum();
        long lost = r.cells().stream().mapToLong(Cell::lostAcked).sum();
        long noEffect = r.cells().stream().filter(Cell::withoutEffect).count();
        out.append("<div class=\"banner ").append(r.passed() ? "pass" : "fail").append("\" id=\"verdict\">")
                .append(r.passed() ? "✔ PASS" : "✖ FAIL").append(" — ")
                .append(Format.count(violations)).append(" violation(s), ").append(Format.count(unavailable)).append(" unavailable, ")
                .append(r.overGate().size()).append(" cell(s) over the gate, ")
                .append(noEffect == 0 ? "" : noEffect + " cell(s) with no effect, ").append(Format.count(lost)).append(" acknowledged writes lost")
                .append("</div>");
        if (r.aborted() != null) out.append("<p><strong>Campaign aborted:</strong> ").append(Html.esc(r.aborted())).append("</p>");
        if (d.comparison() != null && d.comparison().regressed()) {
            out.append("<p><span class=\"status bad\">▲ REGRESSION</span> against the baseline — see <a href=\"#comparison\">comparison</a>.</p>");
        }
        out.append("<h2 id=\"tested\">What was tested</h2><dl class=\"facts\">");
        fact(out, "target", r.target() + (r.targetVersion() != null ? " — " + r.targetVersion() : ""));
        fact(out, "policies", String.join(", ", r.policies()));
        fact(out, "faults", String.join(", ", r.faults()));
        fact(out, "workload", r.workload());
        fact(out, "seed", r.seed());
        fact(out, "gate", r.gate());
        fact(out, "started", r.startedAt());
        fact(out, "duration", r.durationMs() == null ? null : Format.ms(r.durationMs()));
        StringBuilder machine = new StringBuilder();
        for (Map.Entry<String, String> e : r.machine().entrySet()) {
            if (!machine.isEmpty()) machine.append(", ");
            machine.append(e.getKey()).append(' ').append(e.getValue());
        }
        fact(out, "machine", machine.isEmpty() ? null : machine.toString());
        out.append("<dt>command</dt><dd><code>").append(Html.esc(r.command())).append("</code></dd></dl>");
        matrix(out, d);
    }

    private static void fact(StringBuilder out, String name, Object value) {
        out.append("<dt>").append(Html.esc(name)).append("</dt><dd>").append(value == null ? "–" : Html.esc(value)).append("</dd>");
    }

    private static void matrix(StringBuilder out, ResultsDir d) {
        Results r = d.results();
        out.append("<h2 id=\"matrix\">Policy × fault</h2>");
        if (r.cells().isEmpty()) {
            out.append("<p>No trials ran: the campaign has no cells.</p>");
            return;
        }
        out.append("<div class=\"scroll\"><table class=\"matrix\"><thead><tr><th>policy</th><th>fault</th><th>status</th>")
                .append("<th>trials</th><th>crashes</th><th>effective</th><th>acked writes</th><th>lost acked</th><th>max loss window</th>")
                .append("<th>violations</th><th>unavailable</th><th>anomalies</th></tr></thead><tbody>");
        for (Cell c : r.cells()) {
            CellStatus s = CellStatus.of(c, r.overGate(), d.trialsOf(c));
            out.append("<tr id=\"cell-").append(Html.esc(c.key())).append("\"><td>").append(Html.esc(c.policy())).append("</td><td>")
                    .append(Html.esc(c.fault())).append("</td><td>").append(s.html()).append("</td>")
                    .append(num(c.trials())).append(num(c.crashes()))
                    .append("<td class=\"n\">").append(c.effectiveShare() == null ? "–" : Html.esc(c.effectiveShare())).append("</td>")
                    .append(num(c.ackedWrites())).append(num(c.lostAcked()))
                    .append("<td class=\"n\">").append(Format.window(c.maxLossWindowMs(), c.maxLossWindowUpperMs())).append("</td>")
                    .append(num(c.violations())).append(num(c.unavailable())).append("<td>");
            for (String k : c.anomalyKinds()) out.append(Html.esc(k)).append(" ×").append(c.anomalies().get(k)).append("<br>");
            out.append("</td></tr>");
        }
        out.append("</tbody></table></div><p class=\"legend\">✔ OK · ◐ loss within policy · ▲ over gate · ✖ violation · "
                + "⊘ unavailable · ∅ no effect (the fault changed nothing in too many crashes; never a pass) · "
                + "? indeterminate (the harness failed; never a pass). Effective: the fault's crashes where it changed what "
                + "survived or its condition was hit, of all its crashes (the final restart of each trial not counted). "
                + "A window “x (≤ y)”: some recovered state fits more than one prefix of the history; x is the least loss "
                + "(judged), y the most (reported).</p>");
    }

    private static String num(long n) {
        return "<td class=\"n\">" + Format.count(n) + "</td>";
    }
}
