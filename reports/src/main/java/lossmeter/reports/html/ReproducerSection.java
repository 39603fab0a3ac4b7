package lossmeter.reports.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.reports.model.ResultsDir;
import lossmeter.reports.model.ResultsFiles;

/**
 * For a shrunk scenario's results dir (explore wrote {@code reproducer.json} beside it): the
 * command that replays it and how often it failed when replayed, what was found and what it shrank
 * from, each accepted shrink step, and the trial told whole — every op, the lost ones marked, each
 * crash with its crash point, the state read back and the verdict. Nothing when the file is absent.
 */
final class ReproducerSection {
    private ReproducerSection() {
    }

    static void render(StringBuilder out, ResultsDir d) {
        Path f = d.dir().resolve(ResultsFiles.REPRODUCER);
        if (!Files.isRegularFile(f)) return;
        JsonNode r;
        try {
            r = ResultsDir.JSON.readTree(f.toFile());
        } catch (IOException | RuntimeException e) {
            out.append("<h2 id=\"reproducer\">Minimal reproducer</h2><p>").append(Html.esc(ResultsFiles.REPRODUCER))
                    .append(" cannot be read: ").append(Html.esc(e.getMessage())).append("</p>");
            return;
        }
        out.append("<h2 id=\"reproducer\">Minimal reproducer</h2>");
        out.append("<p>Explore found <strong>").append(Html.esc(r.path("kind").asText())).append("</strong> after ")
                .append(Html.esc(Format.ms(r.path("foundAfterMs").asLong()))).append(" (").append(r.path("scenariosRun").asInt())
                .append(" scenarios) and shrank it in ").append(Html.esc(Format.ms(r.path("shrinkMs").asLong()))).append(" (")
                .append(r.path("shrinkRuns").asInt()).append(" runs; a candidate counted as failing when it failed in ")
                .append(Html.esc(r.path("failsWhen").asText())).append(r.path("shrinkBudgetSpent").asBoolean() ? "; the shrink budget ran out" : "")
                .append("). Replayed ").append(r.path("replayRuns").asInt()).append(" times, it failed <strong>")
                .append(r.path("replayFailures").asInt()).append(" of ").append(r.path("replayRuns").asInt()).append("</strong>.</p>");
        out.append("<p>Replay:</p><pre>").append(Html.esc(r.path("replay").asText())).append("</pre>");
        out.append("<div class=\"scroll\"><table><thead><tr><th></th><th>scenario</th><th>ops</th><th>keys</th><th>cycles</th><th>clients</th>")
                .append("</tr></thead><tbody>");
        for (String which : new String[] {"original", "shrunk"}) {
            JsonNode s = r.path(which);
            out.append("<tr><td>").append(which).append("</td><td>").append(Html.esc(s.path("scenario").asText())).append("</td>")
                    .append("<td class=\"n\">").append(s.path("ops").asLong()).append("</td><td class=\"n\">").append(s.path("keys").asInt())
                    .append("</td><td class=\"n\">").append(s.path("cycles").asInt()).append("</td><td class=\"n\">")
                    .append(s.path("clients").asInt()).append("</td></tr>");
        }
        out.append("</tbody></table></div>");
        if (r.path("steps").size() > 0) {
            out.append("<h3>Shrink steps</h3><div class=\"scroll\"><table><thead><tr><th>at</th><th>what</th><th>from</th><th>to</th>")
                    .append("<th>ops before → after</th></tr></thead><tbody>");
            for (JsonNode s : r.path("steps")) {
                out.append("<tr><td class=\"n\">").append(Html.esc(Format.ms(s.path("atMs").asLong()))).append("</td><td>")
                        .append(Html.esc(s.path("what").asText())).append("</td><td><code>").append(Html.esc(s.path("from").asText()))
                        .append("</code></td><td><code>").append(Html.esc(s.path("to").asText())).append("</code></td><td class=\"n\">")
                        .append(s.path("opsBefore").asLong()).append(" → ").append(s.path("opsAfter").asLong()).append("</td></tr>");
            }
            out.append("</tbody></table></div>");
        }
        if (r.path("history").size() > 0) {
            out.append("<h3>The trial, whole</h3><p>Every op in the order invoked (◀ marks the ops an anomaly names), and each crash with "
                    + "its crash point, the state read back and the verdict.</p><pre>");
            for (JsonNode line : r.path("history")) out.append(Html.esc(line.asText())).append('\n');
            out.append("</pre>");
        }
    }
}
