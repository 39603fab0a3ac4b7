package lossmeter.reports.compare;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.reports.model.Cell;
import lossmeter.reports.model.Comparison;
import lossmeter.reports.model.Comparison.CellComparison;
import lossmeter.reports.model.Results;
import lossmeter.reports.model.ResultsDir;
import lossmeter.reports.model.ResultsFiles;

/**
 * The regression gate between two campaigns' results.json. A cell regresses when it gained an
 * anomaly kind the baseline's same cell did not show (an unavailable target counts as the kind
 * {@code UNAVAILABLE}), or when its max data-loss window grew beyond the tolerance:
 * {@code new > base × (1 + percent/100) + ms}, equal being still fine. Cells only one side has are
 * listed, not judged: there is nothing to compare them with.
 */
public final class Compare {
    public static final double DEFAULT_PERCENT = 20;
    public static final long DEFAULT_MS = 100;
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private Compare() {
    }

    public static Comparison files(Path base, Path current, double percent, long ms) throws IOException {
        return of(base.toString(), read(base), read(current), percent, ms);
    }

    /** Reads a results.json, or the one inside a results dir. */
    public static Results read(Path p) throws IOException {
        Path f = p.toFile().isDirectory() ? p.resolve(ResultsFiles.RESULTS) : p;
        try {
            return ResultsDir.JSON.readValue(f.toFile(), Results.class);
        } catch (IOException e) {
            throw new IOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public static Comparison of(String baseName, Results base, Results current, double percent, long ms) {
        if (percent < 0 || ms < 0) throw new IllegalArgumentException("tolerances must be ≥ 0");
        List<CellComparison> out = new ArrayList<>();
        for (Cell n : current.cells()) {
            Cell b = base.cell(n.policy(), n.fault());
            if (b == null) {
                out.add(new CellComparison(n.policy(), n.fault(), CellComparison.NEW, null, n.maxLossWindowMs(), null, List.of(), false));
                continue;
            }
            List<String> gained = new ArrayList<>();
            for (String k : n.anomalyKinds()) {
                if (!b.anomalyKinds().contains(k)) gained.add(k);
            }
            if (n.unavailable() > 0 && b.unavailable() == 0) gained.add(UNAVAILABLE);
            long allowed = allowed(b.maxLossWindowMs(), percent, ms);
            boolean grew = n.maxLossWindowMs() > allowed;
            String status = grew || !gained.isEmpty() ? CellComparison.REGRESSED : CellComparison.SAME;
            out.add(new CellComparison(n.policy(), n.fault(), status, b.maxLossWindowMs(), n.maxLossWindowMs(), allowed, gained, grew));
        }
        for (Cell b : base.cells()) {
            if (current.cell(b.policy(), b.fault()) == null) {
                out.add(new CellComparison(b.policy(), b.fault(), CellComparison.MISSING, b.maxLossWindowMs(), null, null, List.of(), false));
            }
        }
        boolean regressed = out.stream().anyMatch(CellComparison::regressed);
        return new Comparison(baseName, percent, ms, regressed, out);
    }

    /**
     * The largest window that still passes, rounded down to whole ms (windows are whole ms), in
     * exact decimal arithmetic so 1000 ms at +20 % is exactly 1200, not 1200.0000000000002.
     */
    static long allowed(long baseMs, double percent, long ms) {
        BigDecimal factor = BigDecimal.ONE.add(BigDecimal.valueOf(percent).movePointLeft(2));
        return BigDecimal.valueOf(baseMs).multiply(factor).add(BigDecimal.valueOf(ms)).longValue();
    }
}
