package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.history.Functions;
import lossmeter.workloads.history.History.Pair;
import lossmeter.workloads.history.Op;

/**
 * Judges one crash: is the recovered state the result of a prefix of the server's order (base
 * state, then this cycle's writes), which acknowledged writes that prefix leaves out, and does the
 * policy allow losing them. Return values pin each write's position per key, so every candidate
 * prefix is checked in time linear in the cycle's writes; candidates differ only in which
 * FLUSHALL-separated segment the log ends in.
 */
final class CrashCheck {
    private static final int MAX_EVIDENCE = 5;

    private final Map<String, KeyLog> base;
    private final Cycle cycle;
    private final Crash crash;
    private final Map<String, Write> elements;
    private final Map<String, List<Write>> writesByKey = new HashMap<>();

    CrashCheck(Map<String, KeyLog> base, Cycle cycle, Crash crash, Map<String, Write> elements) {
        this.base = base;
        this.cycle = cycle;
        this.crash = crash;
        this.elements = elements;
        for (Write w : cycle.writes) writesByKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
    }

    /** The best explanation of the recovered state. */
    Candidate explain() {
        Candidate best = null;
        boolean baseEmpty = base.values().stream().allMatch(k -> k.size() == 0);
        int lowest = baseEmpty ? 0 : -1;
        // A recovered element written in segment j pins the log's end at j or later: earlier
        // candidates cannot explain it, so they are not evaluated (this keeps long cycles linear).
        lowest = Math.max(lowest, pinnedSegment());
        for (int s = cycle.segments() - 1; s >= lowest; s--) {
            Candidate c = evaluate(s);
            if (best == null || c.betterThan(best)) best = c;
            if (c.consistent && c.anomalies.isEmpty()) break;
        }
        return best;
    }

    private int pinnedSegment() {
        int pinned = -1;
        for (Object v : crash.recovered().values()) {
            if (!(v instanceof List<?> l)) continue;
            for (Object e : l) {
                Write w = elements.get(String.valueOf(e));
                if (w != null && w.cycle() == cycle.index && !w.pair().isFail()) pinned = Math.max(pinned, w.segment());
            }
        }
        return pinned;
    }

    CrashVerdict verdict(Candidate c) {
        long t = crash.time();
        Set<Pair> ackedWrites = new HashSet<>();
        for (Write w : cycle.writes) if (w.ok() && w.ackTime() <= t) ackedWrites.add(w.pair());
        for (Pair f : cycle.flushes) if (f.isOk() && f.completeTime() <= t) ackedWrites.add(f);
        Set<Pair> lostPairs = new LinkedHashSet<>();
        long earliestLostAck = Long.MAX_VALUE;
        // Only writes acknowledged by the crash time count: a reply that arrived after the fault was
        // not yet a promise when the machine went down.
        for (Write w : c.lost) {
            if (!w.ok() || w.ackTime() > t) continue;
            lostPairs.add(w.pair());
            earliestLostAck = Math.min(earliestLostAck, w.ackTime());
        }
        for (Pair f : c.lostFlushes) {
            if (!f.isOk() || f.completeTime() > t) continue;
            lostPairs.add(f);
            earliestLostAck = Math.min(earliestLostAck, f.completeTime());
        }
        long horizon = -1;
        for (Write w : c.survived) if (w.ok() && w.cycle() == cycle.index) horizon = Math.max(horizon, w.ackTime());
        long window = earliestLostAck == Long.MAX_VALUE ? 0 : Math.max(0, t - earliestLostAck);
        List<Anomaly> anomalies = new ArrayList<>(c.anomalies);
        if (!c.consistent && c.hardAnomalies() == 0) {
            // No explanation fits: what came back is not the state after any prefix of the history.
            anomalies.add(new Anomaly(AnomalyKind.HOLE, null, "no prefix of the history explains the recovered state: "
                    + c.inconsistency, List.of(), "the state after some prefix", "see the recovered state"));
        }
        Verdict v = !anomalies.isEmpty() ? Verdict.VIOLATION : lostPairs.isEmpty() ? Verdict.OK : Verdict.LOSS_WITHIN_POLICY;
        String note = c.consistent ? null : "no prefix of the history explains the recovered state: " + c.inconsistency;
        return new CrashVerdict(cycle.index, crash.fault(), t, v, anomalies, ackedWrites.size(), lostPairs.size(), window, horizon, note);
    }

    // ---- one candidate --------------------------------------------------------------------------

    private Candidate evaluate(int s) {
        Candidate c = new Candidate(s);
        Set<String> keys = new TreeSet<>();
        keys.addAll(base.keySet());
        keys.addAll(writesByKey.keySet());
        keys.addAll(crash.recovered().keySet());
        for (String key : keys) {
            if (Keys.isCounter(key)) counter(c, key, s);
            else if (Keys.isList(key)) list(c, key, s);
            else {
                c.anomalies.add(new Anomaly(AnomalyKind.PHANTOM, key, "key '" + key + "' was never written by any client",
                        List.of(), null, crash.recovered().get(key)));
            }
        }
        for (Write w : cycle.writes) {
            if (s >= 0 && w.segment() < s) c.survived.add(w); // overwritten by a FLUSHALL that survived
            else if (w.segment() > s && !w.pair().isFail()) c.lost.add(w);
        }
        for (int j = 1; j <= cycle.flushes.size(); j++) if (j > s) c.lostFlushes.add(cycle.flushes.get(j - 1));
        tornTransactions(c, s);
        realTimeHole(c);
        lossBeyondPolicy(c);
        return c;
    }

    private KeyLog baseFor(String key, int s) {
        if (s > 0) return new KeyLog();
        return base.getOrDefault(key, new KeyLog());
    }

    private List<Write> segmentWrites(String key, int s) {
        List<Write> out = new ArrayList<>();
        if (s < 0) return out;
        for (Write w : writesByKey.getOrDefault(key, List.of())) if (w.segment() == s && !w.pair().isFail()) out.add(w);
        return out;
    }

    private void counter(Candidate c, String key, int s) {
        long d = Keys.increment(key);
        Object rv = crash.recovered().get(key);
        KeyLog b = baseFor(key, s);
        long value;
        if (rv == null) {
            value = 0;
        } else if (rv instanceof Number n) {
            value = n.longValue();
        } else {
            c.anomalies.add(new Anomaly(AnomalyKind.CORRUPT, key, "counter holds a value that is not an integer", List.of(),
                    "an integer", rv));
            value = 0;
        }
        if (value < 0 || value % d != 0) {
            c.anomalies.add(new Anomaly(AnomalyKind.CORRUPT, key, "counter value " + value + " is not a multiple of its increment "
                    + d + ": no sequence of writes produces it", List.of(), "a multiple of " + d, value));
            value = Math.max(0, value - Math.floorMod(value, d));
        }
        int n = (int) Math.min(Integer.MAX_VALUE, value / d);
        List<Write> seg = segmentWrites(key, s);
        if (s < 0) {
            if (n > b.size()) c.inconsistent(key + " holds more than the cycle started with, yet no write of the cycle survived");
            n = Math.min(n, b.size());
            keepBase(c, key, b, n);
            return;
        }
        if (n < b.size()) {
            if (s == 0) c.inconsistent(key + " holds less than the cycle started with");
            keepBase(c, key, b, n);
            for (Write w : seg) if (!w.pair().isFail()) c.lost.add(w);
            return;
        }
        KeyLog next = b.prefix(b.size());
        Map<Long, Write> byPos = new HashMap<>();
        int info = 0;
        for (Write w : seg) {
            if (w.ok() && w.position() > b.size()) byPos.put(w.position(), w);
            else if (w.ok() && w.position() <= b.size()) {
                c.anomalies.add(new Anomaly(AnomalyKind.CORRUPT, key, "the server acknowledged a write at a position the key "
                        + "already held when the cycle began", evidence(List.of(w.pair())), "position > " + b.size(), w.position()));
            } else if (w.info()) info++;
        }
        long unclaimed = 0;
        for (long p = b.size() + 1; p <= n; p++) {
            Write w = byPos.get(p);
            if (w == null) unclaimed++;
            next.slots.add(w);
        }
        if (unclaimed > info) {
            List<Pair> ev = new ArrayList<>();
            for (Write w : seg) if (w.ok()) ev.add(w.pair());
            c.anomalies.add(new Anomaly(AnomalyKind.PHANTOM, key, "counter recovered as " + value + ", which takes " + (n - b.size())
                    + " increments since the cycle began, but only " + byPos.size() + " acknowledged and " + info
                    + " unknown increments were issued", evidence(ev), "at most " + (b.size() + byPos.size() + info) * d, value));
        }
        for (Write w : byPos.values()) {
            if (w.position() <= n) {
                c.survived.add(w);
            } else {
                c.lost.add(w);
            }
        }
        c.next.put(key, next);
    }

    private void keepBase(Candidate c, String key, KeyLog b, int n) {
        for (int p = n + 1; p <= b.size(); p++) {
            Write w = b.at(p);
            if (w != null && !w.pair().isFail()) c.lost.add(w);
        }
        c.next.put(key, b.prefix(n));
    }

    private void list(Candidate c, String key, int s) {
        Object rv = crash.recovered().get(key);
        List<String> got;
        if (rv == null) {
            got = List.of();
        } else if (rv instanceof List<?> l) {
            got = new ArrayList<>();
            for (Object o : l) got.add(String.valueOf(o));
        } else {
            c.anomalies.add(new Anomaly(AnomalyKind.CORRUPT, key, "list key holds a value that is not a list", List.of(), "a list", rv));
            got = List.of();
        }
        List<String> order = new ArrayList<>(got);
        if (Keys.pushesLeft(key)) Collections.reverse(order);
        KeyLog b = baseFor(key, s);
        int common = 0;
        while (common < b.size() && common < order.size() && b.at(common + 1).element().equals(order.get(common))) common++;
        List<Write> seg = segmentWrites(key, s);
        if (s < 0 || common < b.size()) {
            if (common < order.size() && common < b.size()) {
                // Neither a prefix of the base nor an extension of it: something in the middle changed.
                Write expected = b.at(common + 1);
                Write found = elements.get(order.get(common));
                c.anomalies.add(new Anomaly(found == null ? AnomalyKind.PHANTOM : AnomalyKind.HOLE, key,
                        "position " + (common + 1) + " held " + expected.element() + " when the cycle began, but "
                                + order.get(common) + " came back there",
                        evidence(found == null ? List.of(expected.pair()) : List.of(expected.pair(), found.pair())),
                        expected.element(), order.get(common)));
            } else if (s == 0 && order.size() < b.size()) {
                c.inconsistent(key + " holds less than the cycle started with");
            } else if (s < 0 && order.size() > b.size()) {
                c.inconsistent(key + " holds more than the cycle started with, yet no write of the cycle survived");
            }
            keepBase(c, key, b, common);
            for (Write w : seg) c.lost.add(w);
            return;
        }
        KeyLog next = b.prefix(b.size());
        Map<Long, Write> byPos = new HashMap<>();
        for (Write w : seg) if (w.ok() && w.position() > 0) byPos.put(w.position(), w);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < b.size(); i++) seen.add(b.at(i + 1).element());
        Set<Write> present = new HashSet<>();
        for (int i = b.size(); i < order.size(); i++) {
            String e = order.get(i);
            // Position among the elements accepted so far: an element already reported (phantom,
            // duplicate, resurrected) does not shift the ones after it into false holes.
            long pos = next.size() + 1;
            Write w = elements.get(e);
            if (!seen.add(e)) {
                c.anomalies.add(new Anomaly(AnomalyKind.DUPLICATE, key, "element " + e + " appears more than once",
                        w == null ? List.of() : evidence(List.of(w.pair())), "once", got));
                continue;
            }
            if (w == null) {
                c.anomalies.add(new Anomaly(AnomalyKind.PHANTOM, key, "element " + e + " was never written by any client",
                        List.of(), null, e));
                continue;
            }
            if (w.pair().isFail()) {
                c.anomalies.add(new Anomaly(AnomalyKind.PHANTOM, key, "element " + e + " came from a write the server refused",
                        evidence(List.of(w.pair())), null, e));
                continue;
            }
            if (!w.key().equals(key)) {
                c.anomalies.add(new Anomaly(AnomalyKind.CORRUPT, key, "element " + e + " was written to " + w.key(),
                        evidence(List.of(w.pair())), w.key(), key));
                continue;
            }
            if (w.cycle() != cycle.index) {
                c.anomalies.add(new Anomaly(AnomalyKind.PHANTOM, key, "element " + e + " was lost at an earlier crash and came back",
                        evidence(List.of(w.pair())), null, e));
                continue;
            }
            if (w.segment() > s) {
                c.inconsistent(key + " holds " + e + ", written after a FLUSHALL this explanation leaves out");
                continue;
            }
            if (w.segment() < s) {
                Pair flush = cycle.flushes.get(w.segment());
                c.anomalies.add(new Anomaly(AnomalyKind.RESURRECTED, key, "element " + e
                        + " was written before an acknowledged FLUSHALL and came back", evidence(List.of(w.pair(), flush)), null, e));
                continue;
            }
            Write claimed = byPos.get(pos);
            if (claimed != null && claimed != w) {
                c.anomalies.add(new Anomaly(AnomalyKind.HOLE, key, "the acknowledged push of " + claimed.element() + " to position "
                        + pos + " is missing while the later " + e + " sits there", evidence(List.of(claimed.pair(), w.pair())),
                        claimed.element(), e));
            } else if (claimed == null && w.ok() && w.position() > 0 && w.position() != pos) {
                // Its reply put it at another position: a push the server had applied before it is gone.
                c.anomalies.add(new Anomaly(AnomalyKind.HOLE, key, "the push of " + e + " was acknowledged at position "
                        + w.position() + " but came back at position " + pos + ": an earlier push is missing",
                        evidence(List.of(w.pair())), "position " + w.position(), "position " + pos));
            }
            present.add(w);
            c.survived.add(w);
            c.presence.put(w.pair(), Boolean.TRUE);
            next.slots.add(w);
        }
        for (Write w : seg) {
            if (present.contains(w)) continue;
            if (w.ok() || w.info()) c.lost.add(w);
            if (w.info()) c.presence.putIfAbsent(w.pair(), Boolean.FALSE);
        }
        c.next.put(key, next);
    }

    // ---- cross-key checks ----------------------------------------------------------------------

    private void tornTransactions(Candidate c, int s) {
        for (Pair txn : cycle.txns) {
            if (txn.isFail() || cycle.segmentOf.get(txn) != s) continue;
            List<Write> steps = cycle.stepsByTxn.get(txn);
            Write in = null, out = null;
            for (Write w : steps) {
                Boolean known = known(c, w);
                if (known == null) continue;
                if (known) in = w;
                else out = w;
            }
            if (in != null && out != null) {
                c.anomalies.add(new Anomaly(AnomalyKind.TORN_TXN, null, "part of a MULTI/EXEC survived (" + in + ") and part did not ("
                        + out + ")", evidence(List.of(txn)), "all or none of " + steps.size() + " steps", in + " only"));
            }
        }
    }

    /** Whether a write is known to have survived (true), known lost (false), or unknown (null). */
    private static Boolean known(Candidate c, Write w) {
        if (c.survived.contains(w)) return true;
        if (w.ok() && c.lost.contains(w)) return false;
        if (Keys.isList(w.key()) && c.lost.contains(w)) return false;
        return null;
    }

    /**
     * A write acknowledged before another write began must come first in any order the server
     * used; if the earlier one is lost and the later one survived, what came back is not a prefix.
     */
    private void realTimeHole(Candidate c) {
        Write lost = null;
        for (Write w : c.lost) if (w.ok() && (lost == null || w.ackTime() < lost.ackTime())) lost = w;
        Write kept = null;
        for (Write w : c.survived) {
            if (w.cycle() != cycle.index || w.segment() != c.segment) continue;
            if (kept == null || w.invokeTime() > kept.invokeTime()) kept = w;
        }
        if (lost != null && kept != null && lost.ackTime() < kept.invokeTime() && lost.pair() != kept.pair()) {
            c.anomalies.add(new Anomaly(AnomalyKind.HOLE, lost.key(), "the write " + lost + " was acknowledged before "
                    + kept + " began, yet the later one survived and the earlier one is gone",
                    evidence(List.of(lost.pair(), kept.pair())), lost.toString(), kept.toString()));
        }
    }

    private void lossBeyondPolicy(Candidate c) {
        long t = crash.time();
        DurabilityBound bound = crash.bound();
        Map<String, List<Pair>> byKey = new java.util.TreeMap<>();
        Set<Pair> counted = new HashSet<>();
        for (Write w : c.lost) {
            if (!w.ok() || w.ackTime() > t || bound.allowsLoss(w.ackTime(), t)) continue;
            if (!counted.add(w.pair())) continue;
            byKey.computeIfAbsent(w.isTxnStep() ? "txn" : w.key(), k -> new ArrayList<>()).add(w.pair());
        }
        for (Map.Entry<String, List<Pair>> e : byKey.entrySet()) {
            List<Pair> ps = e.getValue();
            ps.sort((a, b) -> Long.compare(a.completeTime(), b.completeTime()));
            c.anomalies.add(new Anomaly(AnomalyKind.LOST_ACKED, e.getKey().equals("txn") ? null : e.getKey(),
                    ps.size() + " acknowledged write(s) lost beyond the " + bound + " the policy allows for " + crash.fault()
                            + "; the earliest was acknowledged " + (t - ps.get(0).completeTime()) / 1_000_000 + " ms before the crash",
                    evidence(ps), "survives", "lost"));
        }
        for (Pair f : c.lostFlushes) {
            if (!f.isOk() || f.completeTime() > t || bound.allowsLoss(f.completeTime(), t)) continue;
            // Data from before the lost FLUSHALL is visible only if the recovered state holds any.
            boolean olderDataBack = crash.recovered().values().stream().anyMatch(v -> v != null
                    && !(v instanceof List<?> l && l.isEmpty()) && !(v instanceof Number n && n.longValue() == 0));
            AnomalyKind kind = olderDataBack ? AnomalyKind.RESURRECTED : AnomalyKind.LOST_ACKED;
            c.anomalies.add(new Anomaly(kind, null, "an acknowledged FLUSHALL was lost beyond the " + bound
                    + " the policy allows" + (olderDataBack ? ": data from before it came back" : ""), evidence(List.of(f)),
                    "empty after FLUSHALL", olderDataBack ? "older data" : "flush lost"));
        }
    }

    static List<Op> evidence(List<Pair> pairs) {
        List<Op> out = new ArrayList<>();
        for (Pair p : pairs.subList(0, Math.min(MAX_EVIDENCE, pairs.size()))) {
            out.add(p.invoke());
            out.add(p.completion());
        }
        return out;
    }

    static boolean isWrite(Pair p) {
        return Functions.isWrite(p.f());
    }
}
