package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lossmeter.workloads.history.History.Pair;

/**
 * What the server's durable log may hold at the start of a crash cycle, as FLUSHALL-separated
 * segments from the start of the trial. A later crash may cut the log anywhere (under `no` even
 * before a FLUSHALL of an earlier cycle), so every segment an earlier crash kept stays here, not
 * only the state the last one showed. Each segment has a part some crash observed exactly
 * ({@code known}, per key, 1-based by position) followed by writes that went into the log after
 * it but were never observed ({@code extra}, placed by their replies' positions).
 */
final class DurableLog {
    /** One segment: the FLUSHALL that opened it (null for the trial's start), its observed part, its writes after that. */
    record Segment(Pair flush, Map<String, KeyLog> known, Map<String, List<Write>> extra) {
        static Segment observed(Pair flush, Map<String, KeyLog> known) {
            return new Segment(flush, known, new HashMap<>());
        }

        Segment withExtra(List<Write> writes) {
            Map<String, List<Write>> e = new HashMap<>();
            for (Map.Entry<String, List<Write>> x : extra.entrySet()) e.put(x.getKey(), new ArrayList<>(x.getValue()));
            for (Write w : writes) e.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
            return new Segment(flush, known, e);
        }

        boolean hasKnown() {
            for (KeyLog k : known.values()) if (k.size() > 0) return true;
            return false;
        }
    }

    final List<Segment> segments;

    DurableLog(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    static DurableLog empty() {
        return new DurableLog(List.of(Segment.observed(null, new HashMap<>())));
    }

    /** The state the last crash left, which the next cycle starts from. */
    Map<String, KeyLog> current() {
        return segments.getLast().known();
    }

    /**
     * The log as a crash of this cycle may find it: the earlier segments, the last one extended by
     * the cycle's writes before its first FLUSHALL, then one segment per FLUSHALL of the cycle.
     */
    List<Segment> extendedBy(Cycle cycle) {
        List<List<Write>> bySegment = new ArrayList<>();
        for (int s = 0; s < cycle.segments(); s++) bySegment.add(new ArrayList<>());
        for (Write w : cycle.writes) if (!w.pair().isFail()) bySegment.get(w.segment()).add(w);
        List<Segment> out = new ArrayList<>(segments.subList(0, segments.size() - 1));
        out.add(segments.getLast().withExtra(bySegment.get(0)));
        for (int s = 1; s < cycle.segments(); s++) {
            out.add(new Segment(cycle.flushes.get(s - 1), new HashMap<>(), new HashMap<>()).withExtra(bySegment.get(s)));
        }
        return out;
    }
}
