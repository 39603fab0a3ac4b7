package lossmeter.reports.html;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.reports.model.Anomaly;
import lossmeter.reports.model.CrashVerdict;
import lossmeter.reports.model.OpRecord;
import lossmeter.reports.model.ResultsDir;
import lossmeter.reports.model.ResultsFiles;
import lossmeter.reports.model.Trial;
import lossmeter.reports.model.TrialVerdict;

/**
 * Every trial with links to its files, and for each failing one the command that reproduces it and
 * every anomaly with its evidence. Evidence is capped per anomaly and per trial (the full lists are
 * in verdict.json, linked) so a pathological trial cannot blow up the page.
 */
final class TrialsSection {
    static final int MAX_ANOMALIES_PER_TRIAL = 50;
    static final int MAX_OPS_PER_ANOMALY = 20;
    static final int MAX_VALUE_CHARS = 300;

    private TrialsSection() {
    }

    static void render(StringBuilder out, ResultsDir d) {
        out.append("<h2 id=\"trials\">Trials</h2>");
        if (d.trials().isEmpty()) {
            out.append("<p>No trials.</p>");
            return;
        }
        out.append("<div class=\"scroll\"><table><thead><tr><th>trial</th><th>verdict</th><th>ops</th><th>acked writes</th>")
                .append("<th>lost acked</th><th>max window</th><th>crash points</th><th>files</th></tr></thead><tbody>");
        for (Trial t : d.trials()) {
            TrialVerdict v = t.verdict();
            out.append("<tr><td><a href=\"#trial-").append(Html.esc(t.id())).append("\">").append(Html.esc(t.id())).append("</a></td>")
                    .append("<td>").append(badge(t.verdictName())).append("</td>");
            if (v != null && v.metrics() != null) {
                out.append(n(v.metrics().ops())).append(n(v.metrics().ackedWrites())).append(n(v.metrics().lostAcked()))
                        .append("<td class=\"n\">").append(Format.window(v.metrics().maxLossWindowMs(), v.metrics().maxLossWindowUpperMs()))
                        .append("</td>");
            } else {
                out.append("<td></td><td></td><td></td><td></td>");
            }
            out.append("<td class=\"points\">").append(points(t)).append("</td>");
            out.append("<td>").append(links(t)).append("</td></tr>");
        }
        out.append("</tbody></table></div>");
        for (Trial t : d.trials()) {
            if (t.failed()) failing(out, t);
        }
    }

    /** A verdict as a label with a symbol, so it reads without colour. */
    static String badge(String verdict) {
        String[] look = switch (verdict == null ? "" : verdict) {
            case "OK" -> new String[] {"good", "✔"};
            case "LOSS_WITHIN_POLICY" -> new String[] {"warn", "◐"};
            case "VIOLATION" -> new String[] {"bad", "✖"};
            case "UNAVAILABLE" -> new String[] {"bad", "⊘"};
            default -> new String[] {"unknown", "?"};
        };
        return "<span class=\"status " + look[0] + "\">" + look[1] + " " + Html.esc(verdict) + "</span>";
    }

    /** Each crash of the trial's fault: where it landed, ∅ when it had no effect. */
    private static String points(Trial t) {
        StringBuilder sb = new StringBuilder();
        for (var r : t.crashes()) {
            if (r.crashPoint() == null || Boolean.TRUE.equals(r.isFinal())) continue;
            if (!sb.isEmpty()) sb.append("<br>");
            sb.append(r.cycle()).append(": ").append(Boolean.FALSE.equals(r.effective()) ? "∅ " : "")
                    .append(Html.esc(r.crashPointText()));
        }
        return sb.toString();
    }

    private static String links(Trial t) {
        StringBuilder sb = new StringBuilder();
        for (String f : t.files()) {
            String name = f.substring(f.lastIndexOf('/', f.length() - 2) + 1);
            if (!sb.isEmpty()) sb.append(" · ");
            sb.append("<a href=\"").append(Html.esc(Html.href(f))).append("\">").append(Html.esc(name)).append("</a>");
        }
        return sb.toString();
    }

    private static void failing(StringBuilder out, Trial t) {
        out.append("<h3 id=\"trial-").append(Html.esc(t.id())).append("\">").append(Html.esc(t.id())).append(" — ")
                .append(Html.esc(t.verdictName())).append("</h3>");
        String reproduce = t.summary() == null ? null : t.summary().reproduce();
        if (reproduce != null) out.append("<p>Reproduce:</p><pre>").append(Html.esc(reproduce)).append("</pre>");
        String error = t.summary() != null && t.summary().error() != null ? t.summary().error()
                : t.verdict() != null ? t.verdict().error() : null;
        if (error != null) out.append("<p><strong>Error:</strong> ").append(Html.esc(error)).append("</p>");
        TrialVerdict v = t.verdict();
        if (v == null) {
            out.append("<p>No verdict.json: the trial was not checked.</p>");
            return;
        }
        crashPoints(out, t);
        int shown = 0;
        for (CrashVerdict c : v.crashes()) {
            if (c.anomalies().isEmpty() && !"UNAVAILABLE".equals(c.verdict()) && !"INDETERMINATE".equals(c.verdict())
                    && !"VIOLATION".equals(c.verdict())) continue;
            out.append("<p>Crash ").append(c.cycle()).append(" (").append(Html.esc(c.fault())).append(" at ").append(Format.ms(c.crashTimeMs()))
                    .append("): <strong>").append(Html.esc(c.verdict())).append("</strong>")
                    .append(c.note() == null ? "" : " — " + Html.esc(c.note())).append("</p>");
            shown = anomalies(out, c.anomalies(), shown);
        }
        if (!v.liveReadAnomalies().isEmpty()) {
            out.append("<p>Live reads:</p>");
            shown = anomalies(out, v.liveReadAnomalies(), shown);
        }
        if (shown >= MAX_ANOMALIES_PER_TRIAL) {
            out.append("<p>Only the first ").append(MAX_ANOMALIES_PER_TRIAL).append(" anomalies are shown; all are in <a href=\"")
                    .append(Html.esc(Html.href(ResultsFiles.TRIALS + "/" + t.id() + "/" + ResultsFiles.VERDICT))).append("\">verdict.json</a>.</p>");
        }
    }

    /** Where each crash landed and what the fault did; a fault without effect is marked, never shown as fine. */
    private static void crashPoints(StringBuilder out, Trial t) {
        List<lossmeter.reports.model.CrashRecord> records = t.crashes().stream().filter(r -> r.crashPoint() != null).toList();
        if (records.isEmpty()) return;
        out.append("<div class=\"scroll\"><table class=\"crash-points\"><thead><tr><th>crash</th><th>fault</th><th>crash point</th>")
                .append("<th>effect</th></tr></thead><tbody>");
        for (var r : records) {
            boolean fin = Boolean.TRUE.equals(r.isFinal());
            String mark = fin ? "" : Boolean.FALSE.equals(r.effective()) ? "<span class=\"status unknown\">∅ NO EFFECT</span> " : "";
            out.append("<tr><td class=\"n\">").append(r.cycle()).append("</td><td>").append(Html.esc(r.fault()))
                    .append(fin ? " (final restart)" : "").append("</td><td><code>").append(Html.esc(r.crashPointText()))
                    .append("</code></td><td>").append(mark).append(Html.esc(r.effectSummary())).append("</td></tr>");
        }
        out.append("</tbody></table></div>");
    }

    private static int anomalies(StringBuilder out, List<Anomaly> list, int shown) {
        for (Anomaly a : list) {
            if (shown++ >= MAX_ANOMALIES_PER_TRIAL) return shown;
            out.append("<div class=\"anomaly\"><p><span class=\"status bad\">✖ ").append(Html.esc(a.kind())).append("</span> key <code>")
                    .append(Html.esc(a.key())).append("</code>: ").append(Html.esc(a.message())).append("</p>")
                    .append("<table><tr><th>expected</th><td><code>").append(Html.esc(value(a.expected()))).append("</code></td></tr>")
                    .append("<tr><th>recovered</th><td><code>").append(Html.esc(value(a.recovered()))).append("</code></td></tr></table>");
            if (!a.ops().isEmpty()) {
                out.append("<div class=\"scroll\"><table><thead><tr><th>index</th><th>time</th><th>type</th><th>process</th><th>f</th>")
                        .append("<th>key</th><th>value</th><th>error</th></tr></thead><tbody>");
                int k = 0;
                for (OpRecord op : a.ops()) {
                    if (k++ >= MAX_OPS_PER_ANOMALY) {
                        out.append("<tr><td colspan=\"8\">… ").append(a.ops().size() - MAX_OPS_PER_ANOMALY).append(" more ops in verdict.json</td></tr>");
                        break;
                    }
                    out.append("<tr><td class=\"n\">").append(op.index()).append("</td><td class=\"n\">").append(Format.ms(op.time() / 1_000_000))
                            .append("</td><td>").append(Html.esc(op.type())).append("</td><td class=\"n\">").append(op.process())
                            .append("</td><td>").append(Html.esc(op.f())).append("</td><td><code>").append(Html.esc(op.key()))
                            .append("</code></td><td><code>").append(Html.esc(value(op.value()))).append("</code></td><td>")
                            .append(Html.esc(op.error())).append("</td></tr>");
                }
                out.append("</tbody></table></div>");
            }
            out.append("</div>");
        }
        return shown;
    }

    private static String value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "–";
        return Html.clip(v.isTextual() ? v.textValue() : v.toString(), MAX_VALUE_CHARS);
    }

    private static String n(long v) {
        return "<td class=\"n\">" + Format.count(v) + "</td>";
    }
}
