package lossmeter.reports.html;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;

import lossmeter.reports.model.Cell;
import lossmeter.reports.model.CrashRecord;
import lossmeter.reports.model.CrashVerdict;
import lossmeter.reports.model.HistorySample;
import lossmeter.reports.model.ResultsDir;
import lossmeter.reports.model.ResultsFiles;
import lossmeter.reports.model.Trial;

/**
 * For each cell, its worst crash (by the verdicts the checker wrote: a violation first, then the
 * widest loss window, then the most lost writes): the ops of the last seconds before it and the
 * latency of its trial. Only that trial's history is read, one streaming pass.
 */
final class WorstCrashSection {
    /** How far before the crash the timeline reaches. */
    static final long LOOKBACK_NS = 5_000_000_000L;
    static final int BINS = 120;

    private record Candidate(Trial trial, CrashVerdict crash) {
    }

    private static final Comparator<Candidate> WORST = Comparator
            .comparingInt((Candidate c) -> rank(c.crash().verdict()))
            .thenComparingLong(c -> c.crash().lossWindowMs())
            .thenComparingLong(c -> c.crash().lostAcked())
            .thenComparingInt(c -> c.crash().anomalies().size());

    private WorstCrashSection() {
    }

    static void render(StringBuilder out, ResultsDir d) {
        if (d.results().cells().isEmpty()) return;
        out.append("<h2 id=\"worst\">Worst crash of each cell</h2><p class=\"legend\">Timeline: one row per client process, "
                + "the last seconds before the crash in bins; blue bars: acknowledged ops (darker: more), ▲ ops with "
                + "unknown outcome (info), ✕ failed ops, ◆ ops named as evidence of an anomaly, hatched: the data-loss window "
                + "the checker reported. Latency: median (solid) and maximum (dashed) per bin over the whole trial; hatched: "
                + "each crash until ops resumed.</p>");
        for (Cell cell : d.results().cells()) {
            Candidate worst = worst(d.trialsOf(cell));
            out.append("<h3 id=\"worst-").append(Html.esc(cell.key())).append("\">").append(Html.esc(cell.policy())).append(" × ")
                    .append(Html.esc(cell.fault())).append("</h3>");
            if (worst == null) {
                out.append("<p>No checked crash in this cell.</p>");
                continue;
            }
            Trial t = worst.trial();
            CrashVerdict c = worst.crash();
            out.append("<p>Trial <a href=\"#trial-").append(Html.esc(t.id())).append("\">").append(Html.esc(t.id())).append("</a>, crash ")
                    .append(c.cycle()).append(" (").append(Html.esc(c.fault())).append(" at ").append(Format.ms(c.crashTimeMs())).append("): <strong>")
                    .append(Html.esc(c.verdict())).append("</strong>, lost ").append(Format.count(c.lostAcked())).append(" of ")
                    .append(Format.count(c.ackedWrites())).append(" acknowledged writes, window ").append(Format.ms(c.lossWindowMs()))
                    .append(c.note() == null ? "" : " — " + Html.esc(c.note())).append("</p>");
            if (c.ambiguous()) {
                out.append("<p class=\"range\">The recovered state fits more than one prefix of the history: the verdict takes the "
                        + "least loss above; the most any anomaly-free explanation allows is ").append(Format.count(c.lostAckedUpper()))
                        .append(" acknowledged writes, window ").append(Format.ms(c.lossWindowUpperMs())).append(" (reported, not judged).</p>");
            }
            CrashRecord rec = t.crash(c.cycle());
            if (rec != null && rec.crashPointText() != null) {
                out.append("<p>Crash point: <code>").append(Html.esc(rec.crashPointText())).append("</code>")
                        .append(rec.effectSummary() == null ? "" : "; effect: " + Html.esc(rec.effectSummary()))
                        .append(Boolean.FALSE.equals(rec.effective()) ? " <span class=\"status unknown\">∅ NO EFFECT</span>" : "")
                        .append("</p>");
            }
            long crashNs = rec != null ? rec.time() : c.crashTimeMs() * 1_000_000;
            try {
                HistorySample s = HistorySample.read(t.dir().resolve(ResultsFiles.HISTORY), crashNs, LOOKBACK_NS, BINS,
                        t.crashes().stream().map(CrashRecord::time).toList());
                if (s.rows().isEmpty() && s.trialEndNs() == 0) {
                    out.append("<p>The trial has no history to draw.</p>");
                    continue;
                }
                out.append(TimelineChart.render(s, c, "ops per process before crash " + c.cycle() + " of " + t.id()));
                out.append(LatencyChart.render(s, "op latency over trial " + t.id()));
            } catch (IOException | RuntimeException e) {
                out.append("<p>Could not read the history of ").append(Html.esc(t.id())).append(": ").append(Html.esc(e.getMessage())).append("</p>");
            }
        }
    }

    private static Candidate worst(List<Trial> trials) {
        Candidate best = null;
        for (Trial t : trials) {
            if (t.verdict() == null) continue;
            for (CrashVerdict c : t.verdict().crashes()) {
                Candidate k = new Candidate(t, c);
                if (best == null || WORST.compare(k, best) > 0) best = k;
            }
        }
        return best;
    }

    private static int rank(String verdict) {
        return switch (verdict == null ? "" : verdict) {
            case "VIOLATION" -> 4;
            case "UNAVAILABLE" -> 3;
            case "INDETERMINATE" -> 2;
            case "LOSS_WITHIN_POLICY" -> 1;
            default -> 0;
        };
    }
}
