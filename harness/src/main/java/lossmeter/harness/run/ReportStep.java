package lossmeter.harness.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import lossmeter.reports.Reports;
import lossmeter.reports.compare.Compare;
import lossmeter.reports.model.Comparison;
import lossmeter.reports.model.ResultsFiles;

/**
 * The end of a run, shared by {@code run} (at the end of a campaign), {@code report} and the Java
 * API: compares with the baseline when one is given (comparison.json), then renders report.html
 * and junit.xml from the results dir, so every way in takes one path from results to page.
 */
public final class ReportStep {
    /** A baseline results.json (or results dir) and the window tolerance; {@code baseline} null means no gate. */
    public record Baseline(Path baseline, double percent, long ms) {
        public Baseline {
            checkPercent(percent);
            checkMs(ms);
        }

        /** The baseline with the default tolerance (20 %, 100 ms). */
        public static Baseline of(Path baseline) {
            return new Baseline(baseline, DEFAULT_PERCENT, DEFAULT_MS);
        }
    }

    private ReportStep() {
    }

    /** Returns whether a baseline regression was found; a report that cannot be written is an IOException. */
    public static boolean write(Path dir, Baseline b, PrintWriter out) throws IOException {
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

    public static void printComparison(Comparison c, PrintWriter out) {
        if (!c.regressed()) {
            out.println("baseline " + c.baseline() + ": no regression");
            return;
        }
        out.println("baseline " + c.baseline() + ": REGRESSION");
        for (Comparison.CellComparison cc : c.regressions()) out.println("  " + cc.key() + ": " + cc.reason());
    }

    public static double checkPercent(double p) {
        if (p < 0 || Double.isNaN(p)) throw new IllegalArgumentException("--tolerance-percent must be ≥ 0, not " + p);
        return p;
    }

    public static long checkMs(long ms) {
        if (ms < 0) throw new IllegalArgumentException("--tolerance-ms must be ≥ 0, not " + ms);
        return ms;
    }

    public static final double DEFAULT_PERCENT = Compare.DEFAULT_PERCENT;
    public static final long DEFAULT_MS = Compare.DEFAULT_MS;
}
