package lossmeter.reports.html;

import lossmeter.reports.model.Comparison;
import lossmeter.reports.model.Comparison.CellComparison;
import lossmeter.reports.model.ResultsDir;

/** The comparison with a baseline campaign, when the results dir holds one (comparison.json). */
final class ComparisonSection {
    private ComparisonSection() {
    }

    static void render(StringBuilder out, ResultsDir d) {
        Comparison c = d.comparison();
        if (c == null) return;
        out.append("<h2 id=\"comparison\">Compared with the baseline</h2><p>Baseline <code>").append(Html.esc(c.baseline()))
                .append("</code>; a cell regresses when it gains an anomaly kind (or unavailability), or when its max loss window "
                        + "exceeds baseline × (1 + ").append(Format.num(c.tolerancePercent())).append(" %) + ").append(c.toleranceMs())
                .append(" ms. ").append(c.regressed() ? "<span class=\"status bad\">▲ REGRESSED</span>" : "<span class=\"status good\">✔ no regression</span>")
                .append("</p><div class=\"scroll\"><table><thead><tr><th>policy</th><th>fault</th><th>status</th><th>base max window</th>")
                .append("<th>new max window</th><th>allowed</th><th>gained</th></tr></thead><tbody>");
        for (CellComparison cc : c.cells()) {
            String cls = cc.regressed() ? "bad" : CellComparison.SAME.equals(cc.status()) ? "good" : "unknown";
            String sym = cc.regressed() ? "▲ " : CellComparison.SAME.equals(cc.status()) ? "✔ " : "? ";
            out.append("<tr><td>").append(Html.esc(cc.policy())).append("</td><td>").append(Html.esc(cc.fault()))
                    .append("</td><td><span class=\"status ").append(cls).append("\">").append(sym).append(Html.esc(cc.status()))
                    .append("</span></td><td class=\"n\">").append(Format.ms(cc.baseMaxWindowMs())).append("</td><td class=\"n\">")
                    .append(Format.ms(cc.newMaxWindowMs())).append("</td><td class=\"n\">").append(Format.ms(cc.allowedMaxWindowMs()))
                    .append("</td><td>").append(Html.esc(String.join(", ", cc.gainedKinds()))).append("</td></tr>");
        }
        out.append("</tbody></table></div>");
    }
}
