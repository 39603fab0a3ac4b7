package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.history.Functions;
import lossmeter.workloads.history.History.Pair;

/**
 * Live reads must be linearizable with the writes around them. Positions pin the writes' order
 * per key, so a read that saw n writes is explained iff no write at a position above n completed
 * before the read began and no write at a position up to n began after the read completed.
 * Sorting by position and keeping prefix maxima / suffix minima makes each read O(log n).
 */
final class LiveReadCheck {
    private LiveReadCheck() {
    }

    /** Per key and segment: ok writes sorted by position, with the time bounds the check needs. */
    private record Track(long[] positions, long[] maxInvokeUpTo, long[] minAckFrom, long unknown, Map<Long, Write> byPos) {
    }

    static List<Anomaly> check(Cycle cycle, Map<String, KeyLog> base, Map<String, Write> elements) {
        Map<String, List<Write>> grouped = new HashMap<>();
        for (Write w : cycle.writes) {
            if (w.pair().isFail()) continue;
            grouped.computeIfAbsent(w.key() + "\u0000" + w.segment(), k -> new ArrayList<>()).add(w);
        }
        Map<String, Track> tracks = new HashMap<>();
        for (Map.Entry<String, List<Write>> e : grouped.entrySet()) tracks.put(e.getKey(), track(e.getValue()));
        List<Anomaly> out = new ArrayList<>();
        out.addAll(monotonicReads(cycle));
        for (Pair r : cycle.reads) {
            int seg = cycle.segmentOf.get(r);
            String key = r.key();
            Track t = tracks.get(key + "\u0000" + seg);
            KeyLog b = seg == 0 ? base.getOrDefault(key, new KeyLog()) : new KeyLog();
            Anomaly a = r.f().equals(Functions.GET) ? counterRead(r, key, b, t) : listRead(r, key, b, t, cycle, seg, elements);
            if (a != null) out.add(a);
        }
        return out;
    }

    /**
     * Reads are ordered against each other too: a read that began after another read of the same
     * key completed must not see fewer writes (within a segment, where the count only grows).
     * Sweeps reads by invocation while adding earlier completions to a running maximum.
     */
    private static List<Anomaly> monotonicReads(Cycle cycle) {
        Map<String, List<Pair>> byKey = new HashMap<>();
        for (Pair r : cycle.reads) byKey.computeIfAbsent(r.key() + "\u0000" + cycle.segmentOf.get(r), k -> new ArrayList<>()).add(r);
        List<Anomaly> out = new ArrayList<>();
        for (List<Pair> rs : byKey.values()) {
            List<Pair> byInvoke = new ArrayList<>(rs);
            byInvoke.sort((a, b) -> Long.compare(a.invokeTime(), b.invokeTime()));
            List<Pair> byAck = new ArrayList<>(rs);
            byAck.sort((a, b) -> Long.compare(a.completeTime(), b.completeTime()));
            int j = 0;
            long max = -1;
            Pair maxRead = null;
            for (Pair r : byInvoke) {
                while (j < byAck.size() && byAck.get(j).completeTime() < r.invokeTime()) {
                    Pair done = byAck.get(j++);
                    long n = observed(done);
                    if (n > max) {
                        max = n;
                        maxRead = done;
                    }
                }
                long n = observed(r);
                if (n >= 0 && max > n) {
                    out.add(new Anomaly(AnomalyKind.STALE_READ, r.key(), "a live read saw " + n + " writes although an earlier read, "
                            + "completed before it began, had already seen " + max, CrashCheck.evidence(List.of(maxRead, r)),
                            ">= " + max + " writes", n));
                    break;
                }
            }
        }
        return out;
    }

    /** How many writes of its key a read saw, or -1 when its value says nothing usable. */
    private static long observed(Pair r) {
        Object v = r.completion().value();
        if (r.f().equals(Functions.GET)) {
            if (v == null) return 0;
            if (!(v instanceof Number n) || !Keys.isCounter(r.key())) return -1;
            long d = Keys.increment(r.key());
            return n.longValue() % d == 0 ? n.longValue() / d : -1;
        }
        return v instanceof List<?> l ? l.size() : -1;
    }

    private static Track track(List<Write> ws) {
        List<Write> ok = new ArrayList<>();
        long unknown = 0;
        for (Write w : ws) {
            if (w.ok() && w.position() > 0) ok.add(w);
            else unknown++;
        }
        ok.sort((a, b) -> Long.compare(a.position(), b.position()));
        int n = ok.size();
        long[] pos = new long[n], maxInv = new long[n], minAck = new long[n];
        Map<Long, Write> byPos = new HashMap<>();
        for (int i = 0; i < n; i++) {
            pos[i] = ok.get(i).position();
            maxInv[i] = Math.max(i > 0 ? maxInv[i - 1] : Long.MIN_VALUE, ok.get(i).invokeTime());
            byPos.put(pos[i], ok.get(i));
        }
        for (int i = n - 1; i >= 0; i--) minAck[i] = Math.min(i < n - 1 ? minAck[i + 1] : Long.MAX_VALUE, ok.get(i).ackTime());
        return new Track(pos, maxInv, minAck, unknown, byPos);
    }

    private static Anomaly counterRead(Pair r, String key, KeyLog b, Track t) {
        if (!Keys.isCounter(key)) return null;
        Object v = r.completion().value();
        long d = Keys.increment(key);
        if (v != null && !(v instanceof Number)) {
            return stale(r, key, AnomalyKind.CORRUPT, "a live GET returned a non-integer from a counter", "an integer", v);
        }
        long value = v == null ? 0 : ((Number) v).longValue();
        if (value < 0 || value % d != 0) {
            return stale(r, key, AnomalyKind.CORRUPT, "a live GET returned " + value + ", not a multiple of the increment " + d,
                    "a multiple of " + d, value);
        }
        return positionCheck(r, key, value / d, b.size(), t, value);
    }

    private static Anomaly positionCheck(Pair r, String key, long n, int baseSize, Track t, Object seen) {
        if (n < baseSize) {
            return stale(r, key, AnomalyKind.STALE_READ, "a live read saw " + n + " writes, fewer than the " + baseSize
                    + " the key held when the cycle began", ">= " + baseSize + " writes", seen);
        }
        long okCount = t == null ? 0 : t.positions.length;
        long unknown = t == null ? 0 : t.unknown;
        if (n > baseSize + okCount + unknown) {
            return stale(r, key, AnomalyKind.STALE_READ, "a live read saw " + n + " writes, more than were ever issued",
                    "<= " + (baseSize + okCount + unknown) + " writes", seen);
        }
        if (t == null || t.positions.length == 0) return null;
        int i = Sorted.countAtMost(t.positions, n); // first index with position > n
        if (i < t.positions.length && t.minAckFrom[i] < r.invokeTime()) {
            Write missed = firstAckedBefore(t, i, r.invokeTime());
            return stale(r, key, AnomalyKind.STALE_READ, "a live read missed " + missed + ", acknowledged before the read began",
                    ">= " + missed.position() + " writes", seen, missed);
        }
        if (i > 0 && t.maxInvokeUpTo[i - 1] > r.completeTime()) {
            Write future = null;
            for (int k = 0; k < i; k++) {
                Write w = t.byPos.get(t.positions[k]);
                if (w.invokeTime() > r.completeTime()) {
                    future = w;
                    break;
                }
            }
            return stale(r, key, AnomalyKind.STALE_READ, "a live read saw " + future + ", which began only after the read completed",
                    "< " + future.position() + " writes", seen, future);
        }
        return null;
    }

    private static Write firstAckedBefore(Track t, int from, long time) {
        for (int k = from; k < t.positions.length; k++) {
            Write w = t.byPos.get(t.positions[k]);
            if (w.ackTime() < time) return w;
        }
        return t.byPos.get(t.positions[from]);
    }

    private static Anomaly listRead(Pair r, String key, KeyLog b, Track t, Cycle cycle, int seg, Map<String, Write> elements) {
        if (!Keys.isList(key)) return null;
        Object v = r.completion().value();
        if (!(v instanceof List<?> l)) return null;
        List<String> order = new ArrayList<>();
        for (Object o : l) order.add(String.valueOf(o));
        if (Keys.pushesLeft(key)) Collections.reverse(order);
        for (int i = 0; i < Math.min(b.size(), order.size()); i++) {
            if (!b.at(i + 1).element().equals(order.get(i))) {
                return stale(r, key, AnomalyKind.STALE_READ, "a live LRANGE differs at position " + (i + 1)
                        + " from what the key held when the cycle began", b.at(i + 1).element(), order.get(i));
            }
        }
        for (int i = b.size(); i < order.size(); i++) {
            String e = order.get(i);
            Write w = elements.get(e);
            if (w == null || !w.key().equals(key) || w.cycle() != cycle.index || w.segment() != seg || w.pair().isFail()) {
                return stale(r, key, AnomalyKind.STALE_READ, "a live LRANGE returned " + e + ", which no write of this key in this "
                        + "stretch of the history produced", null, e);
            }
            Write claimed = t == null ? null : t.byPos.get((long) i + 1);
            if (claimed != null && claimed != w) {
                return stale(r, key, AnomalyKind.STALE_READ, "a live LRANGE has " + e + " at position " + (i + 1) + " where "
                        + claimed + " was acknowledged", claimed.element(), e, claimed);
            }
        }
        return positionCheck(r, key, order.size(), b.size(), t, v);
    }

    private static Anomaly stale(Pair r, String key, AnomalyKind kind, String msg, Object expected, Object seen, Write... others) {
        List<Pair> ev = new ArrayList<>();
        ev.add(r);
        for (Write w : others) ev.add(w.pair());
        return new Anomaly(kind, key, msg, CrashCheck.evidence(ev), expected, seen instanceof long[] la ? Arrays.toString(la) : seen);
    }
}
