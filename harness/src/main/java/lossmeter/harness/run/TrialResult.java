package lossmeter.harness.run;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.AnomalyKind;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.Verdict;

/**
 * What one trial found: its verdict, the checker's result (null when the harness failed before or
 * during checking), the crashes it judged, and the numbers the campaign sums. {@code error} says
 * why a trial is INDETERMINATE; {@code infrastructure} marks a failure that makes every further
 * trial pointless (the target never came up at all); {@code node} names the node it ran on.
 */
public record TrialResult(TrialId id, long seed, Verdict verdict, CheckResult check, List<Crash> crashes,
                          List<Long> recoveryNanos, long ops, long ackedWrites, String targetVersion,
                          String error, boolean infrastructure, List<FaultRecord> faultRecords, String node) {
    public TrialResult {
        crashes = List.copyOf(crashes);
        recoveryNanos = List.copyOf(recoveryNanos);
        faultRecords = List.copyOf(faultRecords);
    }

    /** A trial on the local node. */
    public TrialResult(TrialId id, long seed, Verdict verdict, CheckResult check, List<Crash> crashes, List<Long> recoveryNanos,
                       long ops, long ackedWrites, String targetVersion, String error, boolean infrastructure,
                       List<FaultRecord> faultRecords) {
        this(id, seed, verdict, check, crashes, recoveryNanos, ops, ackedWrites, targetVersion, error, infrastructure, faultRecords,
                "local");
    }

    /** A trial whose faults recorded nothing about their effect. */
    public TrialResult(TrialId id, long seed, Verdict verdict, CheckResult check, List<Crash> crashes, List<Long> recoveryNanos,
                       long ops, long ackedWrites, String targetVersion, String error, boolean infrastructure) {
        this(id, seed, verdict, check, crashes, recoveryNanos, ops, ackedWrites, targetVersion, error, infrastructure, List.of());
    }

    /** Crashes of the trial's own fault (every cycle but the final graceful restart). */
    public int injected() {
        return (int) faultRecords.stream().filter(r -> !r.finalRestart()).count();
    }

    /** Of those, the crashes where the fault took effect. */
    public int effective() {
        return (int) faultRecords.stream().filter(FaultRecord::effectiveInjection).count();
    }

    /**
     * Whether the target answered every fault of this trial correctly for the fault's class (a
     * refusal to start after media damage is correct; after a crash it is not).
     */
    public boolean passes() {
        if (check == null || verdict == Verdict.INDETERMINATE) return verdict.passes();
        return check.passes();
    }

    public long lostAcked() {
        return check == null ? 0 : check.crashes().stream().mapToLong(CrashVerdict::lostAcked).sum();
    }

    public long maxLossWindowNanos() {
        return check == null ? 0 : check.crashes().stream().mapToLong(CrashVerdict::lossWindowNanos).max().orElse(0);
    }

    /** The largest window any crash's most-loss explanation allows (equal to {@link #maxLossWindowNanos()} when none is ambiguous). */
    public long maxLossWindowUpperNanos() {
        return check == null ? 0 : check.crashes().stream().mapToLong(CrashVerdict::lossWindowUpperNanos).max().orElse(0);
    }

    /** Crash cycles judged VIOLATION, plus one when live reads were not linearizable. */
    public int violations() {
        if (check == null) return 0;
        int n = (int) check.crashes().stream().filter(c -> c.verdict() == Verdict.VIOLATION).count();
        return n + (check.liveReadAnomalies().isEmpty() ? 0 : 1);
    }

    /** Crash cycles after which the target did not come back, or came back only after repair. */
    public int unavailable() {
        if (check == null) return (int) crashes.stream().filter(c -> c.recovered() == null).count();
        return (int) check.crashes().stream().filter(c -> c.verdict() == Verdict.UNAVAILABLE).count();
    }

    public Map<AnomalyKind, Integer> anomalyCounts() {
        Map<AnomalyKind, Integer> m = new EnumMap<>(AnomalyKind.class);
        if (check == null) return m;
        for (CrashVerdict c : check.crashes()) {
            for (Anomaly a : c.anomalies()) m.merge(a.kind(), 1, Integer::sum);
        }
        for (Anomaly a : check.liveReadAnomalies()) m.merge(a.kind(), 1, Integer::sum);
        return m;
    }
}
