package lossmeter.workloads.check;

import java.util.List;

/**
 * The checker's judgement of one crash: the verdict, every anomaly with evidence, and the loss
 * metrics. {@code lossWindowNanos} is crash time minus the acknowledgement time of the earliest
 * lost acknowledged write (0 when none is lost); {@code durableHorizonNanos} is the acknowledgement
 * time of the last surviving write (-1 when none).
 */
public record CrashVerdict(int cycle, String fault, long crashTime, Verdict verdict, List<Anomaly> anomalies,
                           long ackedWrites, long lostAcked, long lossWindowNanos, long durableHorizonNanos,
                           String note) {
    public CrashVerdict {
        anomalies = List.copyOf(anomalies);
    }
}
