package lossmeter.reports.html;

import lossmeter.reports.model.Results;
import lossmeter.reports.model.ResultsDir;

/**
 * Renders a results dir as one self-contained HTML page: inline CSS and SVG, no script, no fonts,
 * no network. It draws what results.json, verdict.json and comparison.json say and decides nothing.
 */
public final class ReportPage {
    private ReportPage() {
    }

    public static String render(ResultsDir d) {
        Results r = d.results();
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // No script and no fetches: a strict policy makes that a property of the page, not only of this renderer.
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
                .append("<title>lossmeter ").append(r.passed() ? "PASS" : "FAIL").append(" — ").append(Html.esc(r.target()))
                .append("</title><style>").append(Style.CSS).append("</style></head><body>")
                .append("<h1>lossmeter report</h1>");
        SummarySection.render(out, d);
        ReproducerSection.render(out, d);
        ComparisonSection.render(out, d);
        DistributionSection.render(out, d);
        WorstCrashSection.render(out, d);
        TrialsSection.render(out, d);
        out.append("<footer class=\"legend\"><p>Rendered from <code>results.json</code> and the trial files beside it; "
                + "re-render with <code>./lossmeter report DIR</code>.</p></footer></body></html>\n");
        return out.toString();
    }
}
