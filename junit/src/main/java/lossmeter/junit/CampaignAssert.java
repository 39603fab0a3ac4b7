package lossmeter.junit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

import lossmeter.faults.FaultSpec;
import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CellResult;
import lossmeter.harness.run.TrialResult;
import lossmeter.reports.model.Comparison;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.AnomalyKind;

/**
 * Assertions on a finished campaign. Each failure message carries the evidence (per failing trial
 * the anomalies with kind, key, message and ops, expected vs recovered) and the {@code ./lossmeter
 * run … --only} command that replays it, so a red build says what broke without opening a file.
 */
public final class CampaignAssert extends AbstractAssert<CampaignAssert, CampaignResult> {
    CampaignAssert(CampaignResult actual) {
        super(actual, CampaignAssert.class);
    }

    /**
     * Every trial passed, no cell went over the loss gate, every fault took effect, nothing aborted,
     * and no baseline regression: what {@code ./lossmeter run} exits 0 for.
     */
    public CampaignAssert keptEveryPromise() {
        isNotNull();
        Comparison c = Evidence.comparison(actual);
        boolean regressed = c != null && c.regressed();
        if (actual.passes() && !regressed) return this;
        Evidence e = new Evidence(actual).line("Expecting the campaign against " + actual.spec().target().spec()
                + " to keep every promise, but it did not:");
        e.failingTrials(actual.trials(), a -> true).gateAndEffect(cell -> true).regressions().where();
        failWithMessage("%s", e.toString());
        return this;
    }

    /** The one policy × fault cell kept its promise: its trials passed, it is within the gate and its fault took effect. */
    public CampaignAssert keptPromiseIn(Policy policy, String fault) {
        isNotNull();
        CellResult cell = actual.cells().stream().filter(c -> c.policy() == policy && c.fault().equals(fault)).findFirst().orElse(null);
        List<TrialResult> trials = trialsOf(policy, fault);
        boolean ok = cell != null && actual.aborted() == null && trials.stream().allMatch(TrialResult::passes)
                && !actual.overGate().contains(cell) && !actual.noEffect().contains(cell);
        if (ok) return this;
        String name = policy.confName() + " × " + fault;
        Evidence e = new Evidence(actual);
        if (cell == null) {
            e.line("Expecting the cell " + name + " to keep its promise, but it has no trials"
                    + (actual.aborted() == null ? "" : ": the campaign was aborted: " + actual.aborted()));
        } else {
            e.line("Expecting the cell " + name + " of " + actual.spec().target().spec() + " to keep its promise, but it did not:");
            e.failingTrials(trials, a -> true).gateAndEffect(c -> c.equals(cell));
        }
        e.where();
        failWithMessage("%s", e.toString());
        return this;
    }

    public CampaignAssert keptPromiseIn(Policy policy, FaultSpec fault) {
        return keptPromiseIn(policy, fault.name());
    }

    /** No cell of {@code policy} lost acknowledged writes further back than {@code limit} before a crash. */
    public CampaignAssert hasMaxLossWindowAtMost(Policy policy, Duration limit) {
        isNotNull();
        Objects.requireNonNull(limit, "limit");
        List<CellResult> over = actual.cells().stream().filter(c -> c.policy() == policy && c.maxLossWindowMs() > limit.toMillis()).toList();
        if (over.isEmpty()) return this;
        Evidence e = new Evidence(actual).line("Expecting the max loss window under " + policy.confName() + " to be at most "
                + limit.toMillis() + "ms, but:");
        for (CellResult c : over) {
            e.line("  " + Evidence.cell(c) + ": " + c.maxLossWindowMs() + "ms (" + c.lostAcked() + " acknowledged writes lost)");
            e.worstTrialOf(c);
            trialsOf(c.policy(), c.fault()).stream().filter(t -> t.maxLossWindowNanos() / 1_000_000 > limit.toMillis())
                    .limit(1).forEach(t -> e.trial(t, a -> true));
        }
        e.where();
        failWithMessage("%s", e.toString());
        return this;
    }

    /** No crash or live read of the campaign showed an anomaly of {@code kind}. */
    public CampaignAssert hasNoAnomalyOf(AnomalyKind kind) {
        isNotNull();
        List<TrialResult> with = actual.trials().stream().filter(t -> t.anomalyCounts().getOrDefault(kind, 0) > 0).toList();
        if (with.isEmpty()) return this;
        int n = with.stream().mapToInt(t -> t.anomalyCounts().get(kind)).sum();
        Evidence e = new Evidence(actual).line("Expecting no " + kind + " anomaly, but found " + n + " in " + with.size() + " trial"
                + (with.size() == 1 ? "" : "s") + ":");
        for (TrialResult t : with.stream().limit(Evidence.MAX_TRIALS).toList()) e.trial(t, (Anomaly a) -> a.kind() == kind);
        e.where();
        failWithMessage("%s", e.toString());
        return this;
    }

    private List<TrialResult> trialsOf(Policy policy, String fault) {
        return actual.trials().stream().filter(t -> t.id().policy() == policy && t.id().fault().equals(fault)).toList();
    }
}
