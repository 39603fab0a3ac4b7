package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.history.Functions;
import lossmeter.workloads.history.History.Pair;
import lossmeter.workloads.history.OpType;

/**
 * The ops of one crash cycle, cut into segments by its FLUSHALLs. FLUSHALL runs with no other op
 * in flight, so every op falls cleanly before or after each one: segment 0 continues the state
 * the cycle started from, segment i starts empty after the i-th FLUSHALL.
 */
final class Cycle {
    final int index;
    final List<Pair> flushes = new ArrayList<>();
    final List<Write> writes = new ArrayList<>();
    final List<Pair> txns = new ArrayList<>();
    final List<Pair> reads = new ArrayList<>();
    final Map<Pair, List<Write>> stepsByTxn = new HashMap<>();
    final Map<Pair, Integer> segmentOf = new HashMap<>();

    Cycle(int index, List<Pair> pairs) {
        this.index = index;
        for (Pair p : pairs) {
            if (p.f().equals(Functions.FLUSHALL) && p.type() != OpType.FAIL) flushes.add(p);
        }
        flushes.sort((a, b) -> Long.compare(a.invokeTime(), b.invokeTime()));
        flushEnds = ends(flushes);
        dropFlushesThatDidNotHappen(pairs);
        for (Pair p : pairs) {
            if (p.f().equals(Functions.FLUSHALL)) continue;
            int seg = segment(p.invokeTime());
            segmentOf.put(p, seg);
            if (Functions.isRead(p.f())) {
                if (p.isOk()) reads.add(p);
                continue;
            }
            if (p.f().equals(Functions.TXN)) {
                txns.add(p);
                List<Write> steps = txnSteps(p, seg);
                stepsByTxn.put(p, steps);
                writes.addAll(steps);
            } else {
                writes.add(new Write(p, -1, p.f(), p.key(), p.invoke().value(), position(p.f(), p.key(), p.isOk() ? p.completion().value() : null), index, seg));
            }
        }
    }

    int segments() {
        return flushes.size() + 1;
    }

    private long[] flushEnds;

    private static long[] ends(List<Pair> fs) {
        long[] e = new long[fs.size()];
        for (int i = 0; i < e.length; i++) e[i] = fs.get(i).completeTime();
        return e;
    }

    /**
     * A FLUSHALL that timed out may never have run. Replies after it tell: if a write after it was
     * acknowledged at a position higher than the writes its key got since, or a read saw more than
     * that, the key kept counting from before, so that FLUSHALL did not happen and is dropped from
     * the segmentation. (When nothing after it tells, CrashCheck also tries the explanation in which
     * it never ran.)
     */
    private void dropFlushesThatDidNotHappen(List<Pair> pairs) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < flushes.size() && !changed; i++) {
                if (!flushes.get(i).isInfo()) continue;
                int seg = i + 1;
                Map<String, long[]> perKey = new HashMap<>(); // key -> {writes issued, highest ok position}
                for (Pair p : pairs) {
                    if (p.f().equals(Functions.FLUSHALL) || p.isFail()) continue;
                    if (segment(p.invokeTime()) != seg) continue;
                    if (Functions.isRead(p.f())) {
                        // A read that saw more than the segment wrote saw data from before the FLUSHALL.
                        if (p.isOk()) perKey.computeIfAbsent(p.key(), k -> new long[2])[1] = Math.max(perKey.get(p.key())[1], observed(p));
                        continue;
                    }
                    if (p.f().equals(Functions.TXN)) {
                        for (Write w : txnSteps(p, seg)) count(perKey, w.key(), w.position());
                    } else {
                        count(perKey, p.key(), position(p.f(), p.key(), p.isOk() ? p.completion().value() : null));
                    }
                }
                for (long[] c : perKey.values()) {
                    if (c[1] > c[0]) {
                        flushes.remove(i);
                        flushEnds = ends(flushes);
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    /** How many writes an ok read saw (GET: value / increment; LRANGE: length), or 0 when it cannot tell. */
    private static long observed(Pair read) {
        Object v = read.completion().value();
        if (v instanceof List<?> l) return l.size();
        return position(Functions.INCR, read.key(), v);
    }

    private static void count(Map<String, long[]> perKey, String key, long position) {
        long[] c = perKey.computeIfAbsent(key, k -> new long[2]);
        c[0]++;
        c[1] = Math.max(c[1], position);
    }

    /** Segment of an op invoked at time t: how many FLUSHALLs completed before it began. */
    int segment(long t) {
        // FLUSHALLs never overlap each other, so their completion times are sorted.
        return Sorted.countAtMost(flushEnds, t);
    }

    private List<Write> txnSteps(Pair p, int seg) {
        List<Write> out = new ArrayList<>();
        List<?> steps = (List<?>) p.invoke().value();
        List<?> results = p.isOk() && p.completion().value() instanceof List<?> l ? l : null;
        for (int i = 0; i < steps.size(); i++) {
            List<?> st = (List<?>) steps.get(i);
            String f = (String) st.get(0);
            String key = (String) st.get(1);
            Object arg = st.size() > 2 ? st.get(2) : null;
            Object res = results != null && i < results.size() ? results.get(i) : null;
            out.add(new Write(p, i, f, key, arg, position(f, key, res), index, seg));
        }
        return out;
    }

    /** Position in the key's sequence from the server's reply, 0 when unknown or nonsensical. */
    static long position(String f, String key, Object result) {
        if (!(result instanceof Number n)) return 0;
        long v = n.longValue();
        if (f.equals(Functions.INCR)) {
            long d = Keys.isCounter(key) ? Keys.increment(key) : 1;
            return v > 0 && v % d == 0 ? v / d : 0;
        }
        return v > 0 ? v : 0;
    }
}
