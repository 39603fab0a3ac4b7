package lossmeter.workloads.check;

import java.util.List;

/** A whole trial's judgement: one verdict per crash plus the live-read anomalies. */
public record CheckResult(List<CrashVerdict> crashes, List<Anomaly> liveReadAnomalies) {
    public CheckResult {
        crashes = List.copyOf(crashes);
        liveReadAnomalies = List.copyOf(liveReadAnomalies);
    }

    /** The worst verdict of any crash (VIOLATION when a live read is anomalous). */
    public Verdict verdict() {
        Verdict v = Verdict.OK;
        for (CrashVerdict c : crashes) v = v.worst(c.verdict());
        if (!liveReadAnomalies.isEmpty()) v = v.worst(Verdict.VIOLATION);
        return v;
    }

    /**
     * Whether every crash was answered correctly for its fault class ({@link CrashVerdict#passes()}:
     * a refusal to start after media damage counts as correct) and no live read was anomalous.
     * Gates should use this rather than {@code verdict().passes()}.
     */
    public boolean passes() {
        return liveReadAnomalies.isEmpty() && crashes.stream().allMatch(CrashVerdict::passes);
    }
}
