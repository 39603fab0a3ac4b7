package lossmeter.reports.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.reports.Reports;
import lossmeter.reports.SampleResults;
import lossmeter.testsupport.Requirements;

/**
 * The report as a person sees it: rendered by headless Chromium from a sample results dir with
 * hostile keys and values. No console errors (a blocked script or fetch would log one), the charts
 * drew, nothing from the target became an element, and a screenshot lands in target/ for review.
 */
@Tag("integration")
class ReportInBrowserIT {
    private static final Path OUT = Path.of("target", "report-it");
    private static final Pattern SVG = Pattern.compile("<svg class=\"chart (\\w+)\"[^>]*>(.*?)</svg>", Pattern.DOTALL);

    @TempDir
    Path tmp;

    Chromium chromium;
    Path report;

    @BeforeEach
    void setUp() throws IOException {
        Path binary = Requirements.requireCommand("chromium");
        Files.createDirectories(OUT);
        chromium = new Chromium(binary, tmp);
        report = Reports.write(SampleResults.failing(tmp.resolve("results"))).html();
    }

    @Test
    void rendersWithoutConsoleErrorsAndTheChartsDraw() throws IOException {
        Chromium.Output dom = chromium.run("dom", "--dump-dom", report.toUri().toString());
        assertThat(consoleErrors(dom.stderr())).as("console errors").isEmpty();
        String html = dom.stdout();
        assertThat(html).contains("✖ FAIL");
        List<String> kinds = SVG.matcher(html).results().map(m -> m.group(1)).distinct().toList();
        assertThat(kinds).contains("distribution", "timeline", "latency");
        Matcher m = SVG.matcher(html);
        while (m.find()) {
            assertThat(m.group(2)).as("the %s chart has marks", m.group(1)).containsAnyOf("<rect", "<circle", "<path", "<polyline");
        }
        // Hostile keys and values stayed text: the parsed DOM holds no element they could have made.
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<img").doesNotContain("<b>bold</b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void screenshotShowsTheVerdictBanner() throws IOException {
        Path shot = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        Chromium.Output o = chromium.run("shot", "--hide-scrollbars", "--window-size=1200,3000", "--screenshot=" + shot,
                report.toUri().toString());
        assertThat(consoleErrors(o.stderr())).isEmpty();
        assertThat(shot).exists();
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        // The FAIL banner's vermillion (#D55E00) is on screen near the top: the page rendered, styled.
        boolean banner = false;
        for (int y = 0; y < 300 && !banner; y++) {
            for (int x = 0; x < img.getWidth() && !banner; x++) banner = (img.getRGB(x, y) & 0xffffff) == 0xD55E00;
        }
        assertThat(banner).as("the FAIL banner is drawn").isTrue();
    }

    @Test
    void theConsoleCheckSeesABlockedScriptAndFetch() throws IOException {
        // Proves the detector: a page that breaks its own CSP (as an unescaped value would) logs console lines.
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, "<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
                + "<script>console.error('boom')</script><img src=\"http://example.invalid/x.png\">");
        assertThat(consoleErrors(chromium.run("bad", "--dump-dom", bad.toUri().toString()).stderr())).isNotEmpty();
    }

    /**
     * Console messages, which Chromium logs as {@code INFO:CONSOLE} whatever their level. The report
     * has no script, so any console line at all (an error, a CSP violation) means something is wrong.
     */
    static List<String> consoleErrors(String stderr) {
        return stderr.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
    }
}
