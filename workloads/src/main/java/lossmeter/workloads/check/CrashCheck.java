package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.history.History.Pair;
import lossmeter.workloads.history.Op;

/**
 * Judges one crash: is the recovered state the result of a prefix of the server's log (the
 * segments earlier crashes kept, then this cycle's writes), which acknowledged writes that prefix
 * leaves out, and does the fault's class and bound allow losing them. Candidates differ only in
 * the FLUSHALL-separated segment the log ends in; return values pin each write's position per key,
 * so a candidate costs time linear in its own segment, and what it loses after that segment is
 * counted from suffix sums, keeping a rejected state (every candidate tried) linear overall.
 */
final class CrashCheck {
    private static final int MAX_EVIDENCE = 5;

    private final Cycle cycle;
    private final Crash crash;
    private final DurabilityBound bound;
    private final Map<String, Write> elements;
    private final Map<Pair, List<Write>> stepsByTxn;
    private final List<DurableLog.Segment> segs;
    private final Map<Write, Integer> segmentOf = new IdentityHashMap<>();
    /** Per key: the segments it has writes in, ascending, and the running maximum of its write count there. */
    private record Reach(long[] segments, int[] maxUpTo) {
    }

    private final Map<String, Reach> reach = new HashMap<>();
    /** From segment i on: acknowledged write pairs (resp. FLUSHALLs opening a segment) lost beyond the bound if the log ends before i. */
    private final long[] beyondFrom;
    private final long[] flushBeyondFrom;
    /** From segment i on: acknowledged write pairs and FLUSHALLs opening a segment, and their earliest acknowledgement (MAX_VALUE: none). */
    private final long[] ackedFrom;
    private final long[] earliestAckFrom;
    private final boolean olderDataBack;

    CrashCheck(DurableLog log, Cycle cycle, Crash crash, Map<String, Write> elements, Map<Pair, List<Write>> stepsByTxn) {
        this.cycle = cycle;
        this.crash = crash;
        this.bound = crash.effectiveBound();
        this.elements = elements;
        this.stepsByTxn = stepsByTxn;
        this.segs = log.extendedBy(cycle);
        int n = segs.size();
        beyondFrom = new long[n + 1];
        flushBeyondFrom = new long[n + 1];
        ackedFrom = new long[n + 1];
        earliestAckFrom = new long[n + 1];
        earliestAckFrom[n] = Long.MAX_VALUE;
        Map<String, List<int[]>> counts = new HashMap<>();
        long t = crash.time();
        for (int i = n - 1; i >= 0; i--) {
            Set<Pair> beyond = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Pair> acked = Collections.newSetFromMap(new IdentityHashMap<>());
            long earliest = earliestAckFrom[i + 1];
            Map<String, int[]> here = new HashMap<>();
            for (Write w : writesOf(segs.get(i))) {
                segmentOf.put(w, i);
                here.computeIfAbsent(w.key(), k -> new int[]{0})[0]++;
                if (w.ok() && w.ackTime() <= t && !bound.allowsLoss(w.ackTime(), t)) beyond.add(w.pair());
                if (w.ok() && w.ackTime() <= t && acked.add(w.pair())) earliest = Math.min(earliest, w.pair().completeTime());
            }
            for (Map.Entry<String, KeyLog> k : segs.get(i).known().entrySet()) {
                int nulls = 0;
                for (Write w : k.getValue().slots) if (w == null) nulls++;
                if (nulls > 0) here.computeIfAbsent(k.getKey(), x -> new int[]{0})[0] += nulls;
            }
            final int seg = i;
            here.forEach((k, c) -> counts.computeIfAbsent(k, x -> new ArrayList<>()).add(new int[]{seg, c[0]}));
            beyondFrom[i] = beyondFrom[i + 1] + beyond.size();
            Pair f = segs.get(i).flush();
            boolean flushBeyond = f != null && f.isOk() && f.completeTime() <= t && !bound.allowsLoss(f.completeTime(), t);
            flushBeyondFrom[i] = flushBeyondFrom[i + 1] + (flushBeyond ? 1 : 0);
            boolean flushAcked = f != null && f.isOk() && f.completeTime() <= t;
            ackedFrom[i] = ackedFrom[i + 1] + acked.size() + (flushAcked ? 1 : 0);
            earliestAckFrom[i] = flushAcked ? Math.min(earliest, f.completeTime()) : earliest;
        }
        for (Map.Entry<String, List<int[]>> e : counts.entrySet()) {
            List<int[]> l = e.getValue();
            Collections.reverse(l);
            Reach r = new Reach(new long[l.size()], new int[l.size()]);
            int max = 0;
            for (int j = 0; j < l.size(); j++) {
                max = Math.max(max, l.get(j)[1]);
                r.segments[j] = l.get(j)[0];
                r.maxUpTo[j] = max;
            }
            reach.put(e.getKey(), r);
        }
        olderDataBack = crash.recovered().values().stream().anyMatch(v -> v != null
                && !(v instanceof List<?> l && l.isEmpty()) && !(v instanceof Number x && x.longValue() == 0));
    }

    /** Every write a segment holds: its observed part (where known) and its writes after that. */
    static List<Write> writesOf(DurableLog.Segment s) {
        List<Write> out = new ArrayList<>();
        for (KeyLog k : s.known().values()) for (Write w : k.slots) if (w != null) out.add(w);
        for (List<Write> ws : s.extra().values()) out.addAll(ws);
        return out;
    }

    Map<String, Object> recovered() {
        return crash.recovered();
    }

    Map<String, Write> elements() {
        return elements;
    }

    /** The segment of the log a write is in, or null when no crash kept it. */
    Integer segmentOf(Write w) {
        return segmentOf.get(w);
    }

    Pair flushOpening(int segment) {
        return segment < segs.size() ? segs.get(segment).flush() : null;
    }

    /** Whether some segment before {@code before} wrote the key at least n times. */
    boolean earlierSegmentReaches(String key, int before, int n) {
        Reach r = reach.get(key);
        if (r == null) return false;
        int idx = Sorted.countBelow(r.segments, before);
        return idx > 0 && r.maxUpTo[idx - 1] >= n;
    }

    /**
     * The explanations of the recovered state that matter: {@code least}, the best one (the verdict:
     * consistent, fewest anomalies, least loss beyond the bound, then the latest segment), and
     * {@code most}, the clean one (consistent, anomaly-free) that loses the most, reported as the
     * upper bound of the loss; {@code most} is {@code least} when no other clean one loses more.
     */
    record Explanation(Candidate least, Candidate most) {
    }

    /**
     * Candidates are tried from the latest segment backwards; the first clean one is the least loss.
     * The scan then goes on only while an earlier candidate can still be clean: every one before
     * segment g loses all of g+1's writes, so once those hold a loss beyond the bound (suffix sums,
     * non-decreasing backwards) no earlier candidate is clean and the scan stops. Each candidate
     * still costs time linear in its own segment, as for a state every candidate rejects.
     */
    Explanation explain() {
        // A recovered element pins the log's end at its segment or later: earlier candidates cannot
        // explain it, so they are not evaluated.
        int lowest = 0;
        for (Object v : crash.recovered().values()) {
            if (!(v instanceof List<?> l)) continue;
            for (Object e : l) {
                Write w = elements.get(String.valueOf(e));
                Integer g = w == null ? null : segmentOf.get(w);
                if (g != null) lowest = Math.max(lowest, g);
            }
        }
        Candidate best = null;
        Candidate most = null;
        long[] mostLoss = null;
        int order = 0;
        for (int g = segs.size() - 1; g >= lowest; g--) {
            if (best != null && best.clean() && (beyondFrom[g + 1] > 0 || flushBeyondFrom[g + 1] > 0)) break;
            DurableLog.Segment s = segs.get(g);
            List<Candidate> tries = new ArrayList<>();
            tries.add(evaluate(g, g, false, order++));
            // A FLUSHALL that timed out may never have run: then this segment continues the previous one.
            if (g > 0 && s.flush() != null && s.flush().isInfo() && !s.hasKnown()) tries.add(evaluate(g, g - 1, false, order++));
            if (s.hasKnown()) tries.add(evaluate(g, g, true, order++));
            for (Candidate c : tries) {
                // Once a clean candidate is best no later-tried one beats it (betterThan prefers the one tried first).
                if (best == null || c.betterThan(best)) best = c;
                if (!c.clean()) continue;
                long[] loss = loss(c);
                if (mostLoss == null || Arrays.compare(loss, mostLoss) > 0) {
                    most = c;
                    mostLoss = loss;
                }
            }
        }
        return new Explanation(best, most == null ? best : most);
    }

    /** A candidate's loss as {window, lost acknowledged ops}, as {@link #verdict} would count it, in time linear in its segment. */
    private long[] loss(Candidate c) {
        long t = crash.time();
        Set<Pair> lost = Collections.newSetFromMap(new IdentityHashMap<>());
        long earliest = earliestAckFrom[c.segment + 1];
        for (Write w : c.lost) {
            if (w.ok() && w.ackTime() <= t && lost.add(w.pair())) earliest = Math.min(earliest, w.pair().completeTime());
        }
        long window = earliest == Long.MAX_VALUE ? 0 : Math.max(0, t - earliest);
        return new long[]{window, lost.size() + ackedFrom[c.segment + 1]};
    }

    private Candidate evaluate(int g, int from, boolean withinKnown, int order) {
        Candidate c = new Candidate(g, from, withinKnown, order);
        Map<String, KeyLog> known = segs.get(from).known();
        Map<String, List<Write>> extra = new HashMap<>();
        for (int i = from; i <= g; i++) {
            for (Map.Entry<String, List<Write>> e : segs.get(i).extra().entrySet()) {
                extra.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
            }
        }
        Set<String> keys = new TreeSet<>(crash.recovered().keySet());
        keys.addAll(extra.keySet());
        for (Map.Entry<String, KeyLog> e : known.entrySet()) if (e.getValue().size() > 0) keys.add(e.getKey());
        for (String key : keys) {
            KeyCheck k = new KeyCheck(this, c, key, known.getOrDefault(key, new KeyLog()), extra.getOrDefault(key, List.of()));
            if (Keys.isCounter(key)) k.counter();
            else if (Keys.isList(key)) k.list();
            else {
                c.anomalies.add(new Anomaly(AnomalyKind.PHANTOM, key, "key '" + key + "' was never written by any client",
                        List.of(), null, crash.recovered().get(key)));
            }
        }
        CrossKeyCheck.tornTransactions(c, stepsByTxn);
        CrossKeyCheck.realTimeHole(c);
        long t = crash.time();
        Set<Pair> beyond = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Write w : c.lost) if (w.ok() && w.ackTime() <= t && !bound.allowsLoss(w.ackTime(), t)) beyond.add(w.pair());
        // Lost FLUSHALLs beyond the bound are RESURRECTED when older data is visible (a hard anomaly), else a loss.
        long flushes = flushBeyondFrom[g + 1];
        c.lostFlushResurrections = olderDataBack ? flushes : 0;
        c.lossBeyondBound = beyond.size() + beyondFrom[g + 1] + (olderDataBack ? 0 : flushes);
        return c;
    }

    /** The verdict for the chosen explanation, judged by the fault's class. */
    CrashVerdict verdict(Candidate c) {
        long t = crash.time();
        List<Write> lost = new ArrayList<>(c.lost);
        List<Pair> lostFlushes = new ArrayList<>();
        for (int i = c.segment + 1; i < segs.size(); i++) {
            lost.addAll(writesOf(segs.get(i)));
            if (segs.get(i).flush() != null) lostFlushes.add(segs.get(i).flush());
        }
        long horizon = -1;
        for (Write w : c.survived) if (w.ok() && w.cycle() == cycle.index) horizon = Math.max(horizon, w.ackTime());
        for (int i = 0; i < c.from; i++) {
            for (Write w : writesOf(segs.get(i))) if (w.ok() && w.cycle() == cycle.index) horizon = Math.max(horizon, w.ackTime());
        }
        long acked = 0;
        Set<Pair> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Write w : cycle.writes) if (w.ok() && w.ackTime() <= t && counted.add(w.pair())) acked++;
        for (Pair f : cycle.flushes) if (f.isOk() && f.completeTime() <= t) acked++;
        // Only writes acknowledged by the crash time count: a reply that arrived after the fault was
        // not yet a promise when the machine went down.
        List<Pair> lostPairs = new ArrayList<>();
        Set<Pair> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Write w : lost) if (w.ok() && w.ackTime() <= t && seen.add(w.pair())) lostPairs.add(w.pair());
        for (Pair f : lostFlushes) if (f.isOk() && f.completeTime() <= t) lostPairs.add(f);
        lostPairs.sort((a, b) -> Long.compare(a.completeTime(), b.completeTime()));
        long window = lostPairs.isEmpty() ? 0 : Math.max(0, t - lostPairs.getFirst().completeTime());
        List<Anomaly> anomalies = new ArrayList<>(c.anomalies);
        anomalies.addAll(CrossKeyCheck.lossBeyondBound(crash, bound, lost, lostFlushes, olderDataBack));
        if (!c.consistent && c.hardAnomalies() == 0) {
            // No explanation fits: what came back is not the state after any prefix of the history.
            anomalies.add(new Anomaly(AnomalyKind.HOLE, null, "no prefix of the history explains the recovered state: "
                    + c.inconsistency, List.of(), "the state after some prefix", "see the recovered state"));
        }
        Verdict v = !anomalies.isEmpty() ? Verdict.VIOLATION : lostPairs.isEmpty() ? Verdict.OK : Verdict.LOSS_WITHIN_POLICY;
        String note = c.consistent ? null : "no prefix of the history explains the recovered state: " + c.inconsistency;
        List<Op> lostToDamage = List.of();
        if (crash.faultClass() == FaultClass.MEDIA && !lostPairs.isEmpty()) {
            // Loss is what damaged durable bytes cost; it is reported and attributed, never judged.
            lostToDamage = evidence(lostPairs);
            String damage = "the " + crash.fault() + " damage explains the loss of " + lostPairs.size()
                    + " acknowledged op(s), the earliest acknowledged " + window / 1_000_000 + " ms before the fault";
            note = note == null ? damage : damage + "; " + note;
        }
        return new CrashVerdict(cycle.index, crash.fault(), t, v, anomalies, acked, lostPairs.size(), window, horizon, note,
                crash.faultClass(), lostToDamage);
    }

    /** The log the next cycle starts from: the segments before the chosen one, then what came back. */
    DurableLog next(Candidate c) {
        List<DurableLog.Segment> out = new ArrayList<>(segs.subList(0, c.from));
        out.add(DurableLog.Segment.observed(segs.get(c.from).flush(), c.next));
        return new DurableLog(out);
    }

    static List<Op> evidence(List<Pair> pairs) {
        List<Op> out = new ArrayList<>();
        for (Pair p : pairs.subList(0, Math.min(MAX_EVIDENCE, pairs.size()))) {
            out.add(p.invoke());
            out.add(p.completion());
        }
        return out;
    }
}
