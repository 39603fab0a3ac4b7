package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * One explanation of a recovered state: "the durable log ends inside segment {@code segment}",
 * either inside the part of it an earlier crash observed ({@code withinKnown}) or after it, and,
 * when {@code from < segment}, with the timed-out FLUSHALLs between them never run. It holds what
 * this segment range decides (which of its writes survived or were lost, the anomalies no choice
 * avoids, the state the next cycle starts from); writes of later segments are all lost and of
 * earlier ones all overwritten, which {@link CrashCheck} counts without listing them.
 */
final class Candidate {
    final int segment;
    final int from;
    final boolean withinKnown;
    final int order;
    boolean consistent = true;
    String inconsistency;
    final List<Anomaly> anomalies = new ArrayList<>();
    final Set<Write> survived = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<Write> lost = Collections.newSetFromMap(new IdentityHashMap<>());
    final Map<String, KeyLog> next = new LinkedHashMap<>();
    /** Keys whose value this candidate found damaged: the writes it displaces are reported by that anomaly, not as a hole. */
    final Set<String> damagedKeys = new HashSet<>();
    /** Acknowledged writes (pairs) and FLUSHALLs lost beyond the bound, including later segments'; set by CrashCheck. */
    long lossBeyondBound;
    /** FLUSHALLs of later segments lost beyond the bound while older data came back: each one a RESURRECTED; set by CrashCheck. */
    long lostFlushResurrections;

    Candidate(int segment, int from, boolean withinKnown, int order) {
        this.segment = segment;
        this.from = from;
        this.withinKnown = withinKnown;
        this.order = order;
    }

    void inconsistent(String why) {
        if (consistent) inconsistency = why;
        consistent = false;
    }

    long hardAnomalies() {
        return anomalies.stream().filter(a -> a.kind() != AnomalyKind.LOST_ACKED).count() + lostFlushResurrections;
    }

    boolean clean() {
        return consistent && hardAnomalies() == 0 && lossBeyondBound == 0;
    }

    /** Better explanation first: consistent, fewer anomalies other than loss, less loss beyond the bound, then the one tried first (later segment). */
    boolean betterThan(Candidate o) {
        if (consistent != o.consistent) return consistent;
        if (hardAnomalies() != o.hardAnomalies()) return hardAnomalies() < o.hardAnomalies();
        if (lossBeyondBound != o.lossBeyondBound) return lossBeyondBound < o.lossBeyondBound;
        return order < o.order;
    }
}
