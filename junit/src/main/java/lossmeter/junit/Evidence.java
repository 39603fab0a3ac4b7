package lossmeter.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CellResult;
import lossmeter.harness.run.TrialResult;
import lossmeter.reports.model.Comparison;
import lossmeter.reports.model.ResultsFiles;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.history.Op;

/**
 * Writes what a failure message must carry so that nobody has to open a file to act on it: per
 * failing trial its verdict, each crash's loss, each anomaly (kind, key, message, the ops, expected
 * vs recovered) and the command that reproduces it; then where the results and the report are.
 * Long lists are capped; results.json and verdict.json keep everything.
 */
final class Evidence {
    static final int MAX_TRIALS = 5;
    static final int MAX_ANOMALIES = 5;
    static final int MAX_OPS = 6;

    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final CampaignResult result;
    private final StringBuilder sb = new StringBuilder();

    Evidence(CampaignResult result) {
        this.result = result;
    }

    Evidence line(String s) {
        sb.append(s).append('\n');
        return this;
    }

    /** Every trial of these that fails, with its evidence, at most {@link #MAX_TRIALS}. */
    Evidence failingTrials(List<TrialResult> trials, Predicate<Anomaly> which) {
        List<TrialResult> failing = trials.stream().filter(t -> !t.passes()).toList();
        for (TrialResult t : failing.stream().limit(MAX_TRIALS).toList()) trial(t, which);
        if (failing.size() > MAX_TRIALS) line("  … and " + (failing.size() - MAX_TRIALS) + " more failing trials (see results.json)");
        return this;
    }

    /** One trial: verdict, error, per crash the loss and the anomalies {@code which} selects, and its reproduce command. */
    Evidence trial(TrialResult t, Predicate<Anomaly> which) {
        line("  trial " + t.id() + ": " + t.verdict() + (t.error() == null ? "" : " (" + t.error().lines().findFirst().orElse("") + ")"));
        if (t.check() != null) {
            int shown = 0;
            for (CrashVerdict c : t.check().crashes()) {
                if (c.passes() && c.anomalies().stream().noneMatch(which)) continue;
                line("    crash " + c.cycle() + " (" + c.fault() + "): " + c.verdict() + ", lost " + c.lostAcked()
                        + " acknowledged writes, loss window " + c.lossWindowNanos() / 1_000_000 + "ms" + (c.note() == null ? "" : "; " + c.note()));
                for (Anomaly a : c.anomalies()) {
                    if (!which.test(a)) continue;
                    if (shown++ == MAX_ANOMALIES) line("      … more anomalies in " + verdictFile(t));
                    if (shown > MAX_ANOMALIES) continue;
                    anomaly(a);
                }
            }
            for (Anomaly a : t.check().liveReadAnomalies()) {
                if (!which.test(a) || shown++ >= MAX_ANOMALIES) continue;
                line("    live read:");
                anomaly(a);
            }
        }
        line("    reproduce: " + result.spec().reproduceCommand(t.id(), t.node()));
        return this;
    }

    private void anomaly(Anomaly a) {
        line("      " + a.kind() + (a.key() == null ? "" : " " + a.key()) + ": " + a.message());
        List<Op> ops = a.ops();
        for (Op op : ops.stream().limit(MAX_OPS).toList()) line("        " + op);
        if (ops.size() > MAX_OPS) line("        … " + (ops.size() - MAX_OPS) + " more ops");
        if (a.expected() != null || a.recovered() != null) line("        expected " + a.expected() + ", recovered " + a.recovered());
    }

    Evidence gateAndEffect(Predicate<CellResult> cells) {
        for (CellResult c : result.overGate()) {
            if (!cells.test(c)) continue;
            line("  gate exceeded: " + cell(c) + " lost up to " + c.maxLossWindowMs() + "ms of acknowledged writes (gate "
                    + result.spec().gate() + ")");
            worstTrialOf(c);
        }
        for (CellResult c : result.noEffect()) {
            if (!cells.test(c)) continue;
            line("  NO EFFECT: " + cell(c) + " took effect in " + c.effective() + " of " + c.injected()
                    + " crashes: it says nothing about the target");
        }
        if (result.aborted() != null) line("  aborted (INDETERMINATE, the harness failed): " + result.aborted());
        return this;
    }

    /** The trial of the cell with the largest loss window, so a gate breach comes with something to replay. */
    Evidence worstTrialOf(CellResult c) {
        result.trials().stream().filter(t -> t.id().policy() == c.policy() && t.id().fault().equals(c.fault()))
                .max(java.util.Comparator.comparingLong(TrialResult::maxLossWindowNanos))
                .ifPresent(t -> line("    worst: " + t.id() + ", window " + t.maxLossWindowNanos() / 1_000_000 + "ms, lost "
                        + t.lostAcked() + "; reproduce: " + result.spec().reproduceCommand(t.id(), t.node())));
        return this;
    }

    /** The baseline comparison the run wrote, when it regressed. */
    Evidence regressions() {
        Comparison c = comparison(result);
        if (c == null || !c.regressed()) return this;
        line("  baseline " + c.baseline() + ": REGRESSION");
        for (Comparison.CellComparison cc : c.regressions()) line("    " + cc.key() + ": " + cc.reason());
        return this;
    }

    static Comparison comparison(CampaignResult r) {
        Path f = r.spec().out().resolve(ResultsFiles.COMPARISON);
        if (!Files.isRegularFile(f)) return null;
        try {
            return JSON.readValue(f.toFile(), Comparison.class);
        } catch (IOException e) {
            throw new LossmeterException("cannot read " + f + ": " + e.getMessage());
        }
    }

    Evidence where() {
        Path out = result.spec().out();
        line("seed " + result.spec().seed() + "; results " + out.resolve(ResultsFiles.RESULTS) + "; report " + out.resolve("report.html"));
        return this;
    }

    static String cell(CellResult c) {
        return c.policy().confName() + " × " + c.fault();
    }

    private Path verdictFile(TrialResult t) {
        return result.spec().out().resolve(ResultsFiles.TRIALS).resolve(t.id().toString()).resolve("verdict.json");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
