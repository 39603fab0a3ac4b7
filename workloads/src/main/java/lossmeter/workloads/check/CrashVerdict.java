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
 *
 * <p>A recovered state may fit several prefixes of the log (an empty state after a FLUSHALL fits
 * "the log ends just after it" as well as "it ends at the trial start"). The verdict, its anomalies
 * and {@code lostAcked}/{@code lossWindowNanos} come from the explanation with the least loss, so
 * nothing is flagged that some explanation clears; {@code lostAckedUpper}/{@code lossWindowUpperNanos}
 * are the most loss any consistent, anomaly-free explanation implies (equal to the least when only
 * one fits, never less), and {@code ambiguous} says the two differ. The upper bound is reported,
 * never judged.
 */
public record CrashVerdict(int cycle, String fault, long crashTime, Verdict verdict, List<Anomaly> anomalies,
                           long ackedWrites, long lostAcked, long lossWindowNanos, long durableHorizonNanos,
                           String note, FaultClass faultClass, List<Op> lostToDamage,
                           long lostAckedUpper, long lossWindowUpperNanos, boolean ambiguous) {
    public CrashVerdict {
        anomalies = List.copyOf(anomalies);
        lostToDamage = List.copyOf(lostToDamage);
        Objects.requireNonNull(faultClass, "faultClass");
        // The most loss is never less than the least: a caller that knows only one explanation passes 0s.
        lostAckedUpper = Math.max(lostAcked, lostAckedUpper);
        lossWindowUpperNanos = Math.max(lossWindowNanos, lossWindowUpperNanos);
    }

    /** A verdict with one explanation: the upper bounds equal the loss, not ambiguous. */
    public CrashVerdict(int cycle, String fault, long crashTime, Verdict verdict, List<Anomaly> anomalies, long ackedWrites,
                        long lostAcked, long lossWindowNanos, long durableHorizonNanos, String note, FaultClass faultClass,
                        List<Op> lostToDamage) {
        this(cycle, fault, crashTime, verdict, anomalies, ackedWrites, lostAcked, lossWindowNanos, durableHorizonNanos, note,
                faultClass, lostToDamage, lostAcked, lossWindowNanos, false);
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

    /** The most-loss window the policy answers for: {@link #lossWindowUpperNanos()}, or 0 after media damage. */
    public long policyLossWindowUpperNanos() {
        return lossCountsAgainstPolicy() ? lossWindowUpperNanos : 0;
    }

    /** This verdict with the most-loss explanation's numbers; ambiguous when they differ from the least loss. */
    public CrashVerdict withUpper(long lostAckedUpper, long lossWindowUpperNanos) {
        long lost = Math.max(lostAcked, lostAckedUpper);
        long window = Math.max(lossWindowNanos, lossWindowUpperNanos);
        return new CrashVerdict(cycle, fault, crashTime, verdict, anomalies, ackedWrites, lostAcked, lossWindowNanos,
                durableHorizonNanos, note, faultClass, lostToDamage, lost, window, lost != lostAcked || window != lossWindowNanos);
    }
}
