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
 * which the target did not come back; {@code injected} the crashes of the cell's fault (all but the
 * final restarts) and {@code effective} those where the fault took effect. {@code maxLossWindowUpperMs}
 * is the largest window a crash's recovered state also fits (its most-loss explanation); it is
 * reported, never gated.
 */
public record CellResult(Policy policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked,
                         long maxLossWindowMs, long maxLossWindowUpperMs, int violations, int unavailable, int indeterminate,
                         Map<AnomalyKind, Integer> anomalies, int injected, int effective) {
    public CellResult {
        anomalies = Map.copyOf(anomalies);
    }

    /** A cell without effect records or loss ranges. */
    public CellResult(Policy policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked, long maxLossWindowMs,
                      int violations, int unavailable, int indeterminate, Map<AnomalyKind, Integer> anomalies) {
        this(policy, fault, trials, crashes, ackedWrites, lostAcked, maxLossWindowMs, maxLossWindowMs, violations, unavailable,
                indeterminate, anomalies, 0, 0);
    }

    /**
     * Whether fewer than {@code requirePercent} % of the fault's crashes took effect: then the cell
     * says nothing about the target, whatever its other numbers, and is reported as NO EFFECT.
     */
    public boolean noEffect(double requirePercent) {
        return injected > 0 && effective * 100.0 < requirePercent * injected;
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
        int injected = 0;
        int effective = 0;
        for (TrialResult t : trials) {
            injected += t.injected();
            effective += t.effective();
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
                indeterminate, anomalies, injected, effective);
    }
}
