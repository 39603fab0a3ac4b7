package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lossmeter.workloads.history.History.Pair;

/**
 * One explanation of a recovered state: "the durable log ends inside segment {@code s}" (or, for
 * s = -1, inside what the cycle started from). It collects which writes survived, which were
 * lost, the anomalies this explanation cannot avoid, and the state the next cycle starts from.
 */
final class Candidate {
    final int segment;
    boolean consistent = true;
    String inconsistency;
    final List<Anomaly> anomalies = new ArrayList<>();
    final Set<Write> survived = new HashSet<>();
    final Set<Write> lost = new HashSet<>();
    final List<Pair> lostFlushes = new ArrayList<>();
    final Map<String, KeyLog> next = new LinkedHashMap<>();
    final Map<Pair, Boolean> presence = new HashMap<>();

    Candidate(int segment) {
        this.segment = segment;
    }

    void inconsistent(String why) {
        if (consistent) inconsistency = why;
        consistent = false;
    }

    long hardAnomalies() {
        return anomalies.stream().filter(a -> a.kind() != AnomalyKind.LOST_ACKED).count();
    }

    long lostAckedAnomalies() {
        return anomalies.stream().filter(a -> a.kind() == AnomalyKind.LOST_ACKED).count();
    }

    /** Better explanation first: consistent, fewer anomalies other than loss, less loss, later segment. */
    boolean betterThan(Candidate o) {
        if (consistent != o.consistent) return consistent;
        if (hardAnomalies() != o.hardAnomalies()) return hardAnomalies() < o.hardAnomalies();
        if (lostAckedAnomalies() != o.lostAckedAnomalies()) return lostAckedAnomalies() < o.lostAckedAnomalies();
        return segment > o.segment;
    }
}
