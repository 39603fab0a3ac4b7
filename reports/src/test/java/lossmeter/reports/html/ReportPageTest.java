package lossmeter.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.reports.Reports;
import lossmeter.reports.SampleResults;
import lossmeter.reports.model.ResultsDir;

class ReportPageTest {
    @TempDir
    Path dir;

    @Test
    void failingCampaignShowsVerdictMatrixChartsEvidenceLinksAndReproduceCommands() throws IOException {
        String html = ReportPage.render(ResultsDir.read(SampleResults.failing(dir)));
        assertThat(html).contains("✖ FAIL").contains("redis 7.0.15").contains("lossmeter run --policies always,everysec,no --faults kill")
                .contains("✖ VIOLATION").contains("⊘ UNAVAILABLE").contains("✔ OK").contains("? INDETERMINATE")
                .contains("class=\"chart distribution\"").contains("class=\"chart timeline\"").contains("class=\"chart latency\"")
                .contains("gate 2,000 ms")
                .contains("./lossmeter run --seed 1 --only everysec-kill-1")
                .contains("href=\"trials/everysec-kill-1/history.jsonl\"").contains("href=\"trials/everysec-kill-1/target.log\"")
                .contains("href=\"trials/everysec-kill-1/crash-1-data/\"")
                .contains("LOST_ACKED").contains("HOLE").contains("harness failed: &lt;boom&gt;");
        // Nothing is fetched: no external references (the SVG namespace is a name, not a fetch).
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://", "https://", "src=\"", "url(http");
    }

    @Test
    void everythingFromTheTargetIsEscapedAndThePageHasNoScript() throws IOException {
        String html = ReportPage.render(ResultsDir.read(SampleResults.failing(dir)));
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<img").doesNotContain("onerror=alert(2)>")
                .doesNotContain("<b>bold</b>");
        assertThat(html).contains(Html.esc(SampleResults.HOSTILE_KEY)).contains("&lt;b&gt;bold&lt;/b&gt;")
                .contains("&quot;&#39;&amp;&lt;/svg&gt;");
        // Every svg that opens is closed by the renderer, not by a value.
        assertThat(count(html, "<svg")).isEqualTo(count(html, "</svg>")).isPositive();
    }

    @Test
    void aCellWithoutEffectIsShownAsNoEffectWithEachCrashPoint() throws IOException {
        String html = ReportPage.render(ResultsDir.read(SampleResults.noEffect(dir)));
        assertThat(html).contains("∅ NO EFFECT").contains("1 cell(s) with no effect").contains("1/4")
                .contains("<td>power-loss</td><td><span class=\"status unknown\">∅ NO EFFECT</span>")
                .contains("1: before fdatasync #3 of appendonly.aof* at /appendonly.aof")
                .contains("2: ∅ time");
    }

    @Test
    void anAmbiguousCrashShowsItsLossAsARange() throws IOException {
        String html = ReportPage.render(ResultsDir.read(SampleResults.ambiguous(dir)));
        // The matrix cell and the trial row: the judged window, then the most the state also fits.
        assertThat(html).contains("294\u00a0ms (≤\u00a02,980\u00a0ms)");
        // The distribution chart: a whisker from the dot at 294 ms to the upper window.
        assertThat(html).contains("class=\"range\"").contains("the state also fits 2980 ms, lost 100");
        // The worst-crash section states both ends.
        assertThat(html).contains("window 294 ms")
                .contains("the most any anomaly-free explanation allows is 100 acknowledged writes, window 2,980 ms");
    }

    @Test
    void aCrashWithOneExplanationDrawsNoRange() throws IOException {
        String html = ReportPage.render(ResultsDir.read(SampleResults.failing(dir)));
        assertThat(html).doesNotContain("class=\"range\"").doesNotContain("ms (≤");
    }

    @Test
    void passingCampaignHasAPassBanner() throws IOException {
        Path d = SampleResults.failing(dir);
        String json = Files.readString(d.resolve("results.json")).replace("\"FAIL\"", "\"PASS\"");
        Files.writeString(d.resolve("results.json"), json);
        assertThat(ReportPage.render(ResultsDir.read(d))).contains("class=\"banner pass\"").contains("✔ PASS");
    }

    @Test
    void emptyCampaignRendersWithoutCharts() throws IOException {
        String html = ReportPage.render(ResultsDir.read(SampleResults.empty(dir)));
        assertThat(html).contains("✖ FAIL").contains("the target never came up").contains("No trials ran").doesNotContain("<svg");
    }

    @Test
    void writesReportAndJunitIntoTheResultsDirAndStaysSmall() throws IOException {
        Reports.Written w = Reports.write(SampleResults.failing(dir));
        assertThat(w.html()).isEqualTo(dir.resolve("report.html")).exists();
        assertThat(w.junit()).isEqualTo(dir.resolve("junit.xml")).exists();
        assertThat(Files.size(w.html())).isLessThan(5_000_000);
        assertThat(dir.resolve("report.html.tmp")).doesNotExist();
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }
}
