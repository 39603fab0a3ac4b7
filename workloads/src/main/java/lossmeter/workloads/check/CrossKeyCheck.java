package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import lossmeter.workloads.history.History.Pair;

/**
 * The checks across keys of one candidate: transactions are all or nothing, real-time order holds
 * between a lost and a surviving write, and loss beyond the bound is named per key.
 */
final class CrossKeyCheck {
    private CrossKeyCheck() {
    }

    /** A MULTI/EXEC of the candidate's segment range with one step known in the state and another known out of it. */
    static void tornTransactions(Candidate c, Map<Pair, List<Write>> stepsByTxn) {
        Set<Pair> txns = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Write w : c.survived) if (w.isTxnStep()) txns.add(w.pair());
        for (Write w : c.lost) if (w.isTxnStep()) txns.add(w.pair());
        for (Pair txn : txns) {
            if (txn.isFail()) continue;
            List<Write> steps = stepsByTxn.get(txn);
            Write in = null, out = null;
            for (Write w : steps) {
                Boolean known = known(c, w);
                if (known == null) continue;
                if (known) in = w;
                else out = w;
            }
            if (in != null && out != null) {
                c.anomalies.add(new Anomaly(AnomalyKind.TORN_TXN, null, "part of a MULTI/EXEC survived (" + in + ") and part did not ("
                        + out + ")", CrashCheck.evidence(List.of(txn)), "all or none of " + steps.size() + " steps", in + " only"));
            }
        }
    }

    /** Whether a write is known to be in the recovered state (true), known not to be (false), or unknown (null). */
    private static Boolean known(Candidate c, Write w) {
        // KeyCheck puts a timed-out write in lost only when the state proves it absent.
        if (c.survived.contains(w)) return true;
        if (c.lost.contains(w)) return false;
        return null;
    }

    /**
     * A write acknowledged before another write began must come first in any order the server
     * used; if the earlier one is lost and the later one survived, what came back is not a prefix.
     * Only the candidate's own segment range matters: a later segment's writes began after a
     * FLUSHALL that every write of this range preceded.
     */
    static void realTimeHole(Candidate c) {
        Write lost = null;
        for (Write w : c.lost) if (w.ok() && !c.damagedKeys.contains(w.key()) && (lost == null || w.ackTime() < lost.ackTime())) lost = w;
        Write kept = null;
        for (Write w : c.survived) if (kept == null || w.invokeTime() > kept.invokeTime()) kept = w;
        if (lost != null && kept != null && lost.ackTime() < kept.invokeTime() && lost.pair() != kept.pair()) {
            c.anomalies.add(new Anomaly(AnomalyKind.HOLE, lost.key(), "the write " + lost + " was acknowledged before "
                    + kept + " began, yet the later one survived and the earlier one is gone",
                    CrashCheck.evidence(List.of(lost.pair(), kept.pair())), lost.toString(), kept.toString()));
        }
    }

    /** LOST_ACKED per key (one for all transactions) for writes lost beyond the bound, and one anomaly per lost FLUSHALL. */
    static List<Anomaly> lossBeyondBound(Crash crash, DurabilityBound bound, List<Write> lost, List<Pair> lostFlushes,
                                         boolean olderDataBack) {
        long t = crash.time();
        List<Anomaly> out = new ArrayList<>();
        Map<String, List<Pair>> byKey = new TreeMap<>();
        Set<Pair> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Write w : lost) {
            if (!w.ok() || w.ackTime() > t || bound.allowsLoss(w.ackTime(), t)) continue;
            if (!counted.add(w.pair())) continue;
            byKey.computeIfAbsent(w.isTxnStep() ? "txn" : w.key(), k -> new ArrayList<>()).add(w.pair());
        }
        for (Map.Entry<String, List<Pair>> e : byKey.entrySet()) {
            List<Pair> ps = e.getValue();
            ps.sort((a, b) -> Long.compare(a.completeTime(), b.completeTime()));
            out.add(new Anomaly(AnomalyKind.LOST_ACKED, e.getKey().equals("txn") ? null : e.getKey(),
                    ps.size() + " acknowledged write(s) lost beyond the " + bound + " the policy allows for " + crash.fault()
                            + "; the earliest was acknowledged " + (t - ps.get(0).completeTime()) / 1_000_000 + " ms before the crash",
                    CrashCheck.evidence(ps), "survives", "lost"));
        }
        for (Pair f : lostFlushes) {
            if (!f.isOk() || f.completeTime() > t || bound.allowsLoss(f.completeTime(), t)) continue;
            // Data from before the lost FLUSHALL is visible only if the recovered state holds any.
            AnomalyKind kind = olderDataBack ? AnomalyKind.RESURRECTED : AnomalyKind.LOST_ACKED;
            out.add(new Anomaly(kind, null, "an acknowledged FLUSHALL was lost beyond the " + bound
                    + " the policy allows" + (olderDataBack ? ": data from before it came back" : ""), CrashCheck.evidence(List.of(f)),
                    "empty after FLUSHALL", olderDataBack ? "older data" : "flush lost"));
        }
        return out;
    }
}
