package lossmeter.harness.run;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.AnomalyKind;
import lossmeter.workloads.check.Verdict;

/**
 * One policy × fault cell of a campaign, summed over its trials. {@code crashes} counts the
 * checked crash cycles, each trial's final graceful restart included; {@code ackedWrites} the
 * acknowledged writes in the histories; {@code violations} the crash cycles judged VIOLATION plus
 * the trials whose live reads no linearization explains; {@code unavailable} the crashes after
 * which the target did not come back. {@code maxLossWindowUpperMs} is the largest window a crash's
 * recovered state also fits (its most-loss explanation); it is reported, never gated.
 */
public record CellResult(Policy policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked,
                         long maxLossWindowMs, long maxLossWindowUpperMs, int violations, int unavailable, int indeterminate,
                         Map<AnomalyKind, Integer> anomalies) {
    public CellResult {
        anomalies = Map.copyOf(anomalies);
    }

    static CellResult of(Policy policy, String fault, List<TrialResult> trials) {
        int crashes = 0;
        long acked = 0;
        long lost = 0;
        long maxWindow = 0;
        long maxWindowUpper = 0;
        int violations = 0;
        int unavailable = 0;
        int indeterminate = 0;
        Map<AnomalyKind, Integer> anomalies = new EnumMap<>(AnomalyKind.class);
        for (TrialResult t : trials) {
            crashes += t.crashes().size();
            acked += t.ackedWrites();
            lost += t.lostAcked();
            maxWindow = Math.max(maxWindow, t.maxLossWindowNanos() / 1_000_000);
            maxWindowUpper = Math.max(maxWindowUpper, t.maxLossWindowUpperNanos() / 1_000_000);
            violations += t.violations();
            unavailable += t.unavailable();
            if (t.verdict() == Verdict.INDETERMINATE) indeterminate++;
            t.anomalyCounts().forEach((k, v) -> anomalies.merge(k, v, Integer::sum));
        }
        return new CellResult(policy, fault, trials.size(), crashes, acked, lost, maxWindow, maxWindowUpper, violations, unavailable,
                indeterminate, anomalies);
    }
}
