package lossmeter.workloads.check;

import java.util.List;
import java.util.Objects;

import lossmeter.workloads.history.Op;

/**
 * The checker's judgement of one crash: the verdict, every anomaly with evidence, and the loss
 * metrics. {@code lossWindowNanos} is crash time minus the acknowledgement time of the earliest
 * lost acknowledged write (0 when none is lost); {@code durableHorizonNanos} is the acknowledgement
 * time of the last surviving write (-1 when none).
 *
 * <p>After a MEDIA fault the loss is the damage's, not the policy's: {@code lostAcked} and the
 * window still say what was lost, {@code lostToDamage} holds the first lost acknowledged ops
 * (invocation and completion, at most five) the damage explains, and {@link #policyLostAcked()} /
 * {@link #policyLossWindowNanos()} — what summaries and gates of a policy should add up — are 0.
 */
public record CrashVerdict(int cycle, String fault, long crashTime, Verdict verdict, List<Anomaly> anomalies,
                           long ackedWrites, long lostAcked, long lossWindowNanos, long durableHorizonNanos,
                           String note, FaultClass faultClass, List<Op> lostToDamage) {
    public CrashVerdict {
        anomalies = List.copyOf(anomalies);
        lostToDamage = List.copyOf(lostToDamage);
        Objects.requireNonNull(faultClass, "faultClass");
    }

    /** A crash-class verdict (the shape before fault classes). */
    public CrashVerdict(int cycle, String fault, long crashTime, Verdict verdict, List<Anomaly> anomalies, long ackedWrites,
                        long lostAcked, long lossWindowNanos, long durableHorizonNanos, String note) {
        this(cycle, fault, crashTime, verdict, anomalies, ackedWrites, lostAcked, lossWindowNanos, durableHorizonNanos, note,
                FaultClass.CRASH, List.of());
    }

    /** Whether the target answered this fault correctly: {@link Verdict#passesFor(FaultClass)}. */
    public boolean passes() {
        return verdict.passesFor(faultClass);
    }

    /** Whether the loss of this crash counts against the fsync policy (it does not after media damage). */
    public boolean lossCountsAgainstPolicy() {
        return faultClass != FaultClass.MEDIA;
    }

    /** Acknowledged writes lost that the policy answers for: {@link #lostAcked()}, or 0 after media damage. */
    public long policyLostAcked() {
        return lossCountsAgainstPolicy() ? lostAcked : 0;
    }

    /** The data-loss window the policy answers for: {@link #lossWindowNanos()}, or 0 after media damage. */
    public long policyLossWindowNanos() {
        return lossCountsAgainstPolicy() ? lossWindowNanos : 0;
    }
}
