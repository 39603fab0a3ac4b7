package lossmeter.workloads.check;

import java.util.List;

/** A whole trial's judgement: one verdict per crash plus the live-read anomalies. */
public record CheckResult(List<CrashVerdict> crashes, List<Anomaly> liveReadAnomalies) {
    public CheckResult {
        crashes = List.copyOf(crashes);
        liveReadAnomalies = List.copyOf(liveReadAnomalies);
    }

    public Verdict verdict() {
        Verdict v = Verdict.OK;
        for (CrashVerdict c : crashes) v = v.worst(c.verdict());
        if (!liveReadAnomalies.isEmpty()) v = v.worst(Verdict.VIOLATION);
        return v;
    }
}
