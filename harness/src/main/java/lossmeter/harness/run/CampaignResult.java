package lossmeter.harness.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lossmeter.workloads.check.Verdict;

/**
 * What a campaign found: every trial's result, the cells, the cells over the loss gate, and
 * {@code aborted} when an infrastructure failure stopped it early, and the cells whose fault took
 * effect in too few crashes to say anything ({@code noEffect}). It passes only when every trial
 * passed, no gate was exceeded, every cell's fault took effect and nothing aborted.
 */
public record CampaignResult(CampaignSpec spec, List<TrialResult> trials, List<CellResult> cells, List<CellResult> overGate,
                             String aborted, Instant startedAt, long durationMs, List<CellResult> noEffect) {
    public CampaignResult {
        trials = List.copyOf(trials);
        cells = List.copyOf(cells);
        overGate = List.copyOf(overGate);
        noEffect = List.copyOf(noEffect);
    }

    /** Sums the trials into cells and judges the gate and the effect rule, as a campaign does at its end. */
    public static CampaignResult of(CampaignSpec spec, List<TrialResult> trials, String aborted, Instant startedAt, long durationMs) {
        Map<String, List<TrialResult>> byCell = new LinkedHashMap<>();
        for (TrialResult t : trials) byCell.computeIfAbsent(t.id().cell(), k -> new ArrayList<>()).add(t);
        List<CellResult> cells = new ArrayList<>();
        List<CellResult> over = new ArrayList<>();
        List<CellResult> noEffect = new ArrayList<>();
        for (List<TrialResult> ts : byCell.values()) {
            TrialId first = ts.get(0).id();
            CellResult c = CellResult.of(first.policy(), first.fault(), ts);
            cells.add(c);
            // Loss is the expected outcome of damaged media and of RDB snapshots: the window is reported, not gated.
            if (spec.fault(c.fault()).policyGoverned() && spec.gate().exceeded(c.policy(), c.maxLossWindowMs())) over.add(c);
            if (c.noEffect(spec.requireEffectPercent())) noEffect.add(c);
        }
        return new CampaignResult(spec, trials, cells, over, aborted, startedAt, durationMs, noEffect);
    }

    public boolean passes() {
        return aborted == null && overGate.isEmpty() && noEffect.isEmpty() && !trials.isEmpty()
                && trials.stream().allMatch(TrialResult::passes);
    }

    /**
     * 0 when it passes; 3 when the harness failed anywhere (an aborted campaign, an INDETERMINATE
     * trial), whatever else was found, since an unfinished campaign proves nothing; else 1 for a
     * finding about the target (a violation, an unavailable target, a gate exceeded) or a fault
     * that took no effect.
     */
    public int exitCode() {
        return outcome().code();
    }

    public ExitCode outcome() {
        if (passes()) return ExitCode.PASS;
        if (indeterminate()) return ExitCode.INFRA;
        return ExitCode.FINDING;
    }

    /** Whether the harness failed somewhere in this campaign. */
    public boolean indeterminate() {
        return aborted != null || trials.isEmpty() || trials.stream().anyMatch(t -> t.verdict() == Verdict.INDETERMINATE);
    }

    public List<TrialResult> failing() {
        return trials.stream().filter(t -> !t.passes()).toList();
    }
}
