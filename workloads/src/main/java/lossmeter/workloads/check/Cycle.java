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
        flushEnds = new long[flushes.size()];
        for (int i = 0; i < flushEnds.length; i++) flushEnds[i] = flushes.get(i).completeTime();
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

    private final long[] flushEnds;

    /** Segment of an op invoked at time t: how many FLUSHALLs completed before it began. */
    int segment(long t) {
        // FLUSHALLs never overlap each other, so their completion times are sorted.
        int lo = 0, hi = flushEnds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (flushEnds[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
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
