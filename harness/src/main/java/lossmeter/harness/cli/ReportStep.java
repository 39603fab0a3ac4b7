package lossmeter.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import lossmeter.reports.Reports;
import lossmeter.reports.compare.Compare;
import lossmeter.reports.model.Comparison;
import lossmeter.reports.model.ResultsFiles;

/**
 * The reports step shared by {@code run} (at the end of a campaign) and {@code report}: compares
 * with the baseline when one is given (comparison.json), then renders report.html and junit.xml
 * from the results dir, so both commands take one path from results to page.
 */
final class ReportStep {
    /** A baseline results.json (or results dir) and the window tolerance; {@code baseline} null means no gate. */
    record Baseline(Path baseline, double percent, long ms) {
    }

    private ReportStep() {
    }

    /** Returns whether a baseline regression was found; a report that cannot be written is an IOException. */
    static boolean write(Path dir, Baseline b, PrintWriter out) throws IOException {
        boolean regressed = false;
        if (b != null && b.baseline() != null) {
            Comparison c = Compare.files(b.baseline(), dir.resolve(ResultsFiles.RESULTS), b.percent(), b.ms());
            Reports.writeComparison(dir, c);
            regressed = c.regressed();
            printComparison(c, out);
        }
        Reports.Written w = Reports.write(dir);
        out.println("report: " + w.html());
        out.println("junit:  " + w.junit());
        out.flush();
        return regressed;
    }

    static void printComparison(Comparison c, PrintWriter out) {
        if (!c.regressed()) {
            out.println("baseline " + c.baseline() + ": no regression");
            return;
        }
        out.println("baseline " + c.baseline() + ": REGRESSION");
        for (Comparison.CellComparison cc : c.regressions()) out.println("  " + cc.key() + ": " + cc.reason());
    }

    static double checkPercent(double p) {
        if (p < 0 || Double.isNaN(p)) throw new IllegalArgumentException("--tolerance-percent must be ≥ 0, not " + p);
        return p;
    }

    static long checkMs(long ms) {
        if (ms < 0) throw new IllegalArgumentException("--tolerance-ms must be ≥ 0, not " + ms);
        return ms;
    }

    static final double DEFAULT_PERCENT = Compare.DEFAULT_PERCENT;
    static final long DEFAULT_MS = Compare.DEFAULT_MS;
}
