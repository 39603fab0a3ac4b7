package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.history.History.Pair;

/**
 * One key under one candidate: the key's sequence in the candidate's segment range is the part an
 * earlier crash observed, then the writes after it placed by their replies' positions; the
 * recovered value must be a prefix of it. Decides which of those writes survived, which were
 * lost, and names any value no prefix produces (PHANTOM, DUPLICATE, CORRUPT, RESURRECTED, HOLE).
 */
final class KeyCheck {
    private final CrashCheck cc;
    private final Candidate c;
    private final String key;
    private final KeyLog known;
    private final List<Write> extra;
    private final Object recovered;

    KeyCheck(CrashCheck cc, Candidate c, String key, KeyLog known, List<Write> extra) {
        this.cc = cc;
        this.c = c;
        this.key = key;
        this.known = known;
        this.extra = extra;
        this.recovered = cc.recovered().get(key);
    }

    private void anomaly(AnomalyKind kind, String message, List<Pair> evidence, Object expected, Object got) {
        if (kind == AnomalyKind.CORRUPT || kind == AnomalyKind.PHANTOM || kind == AnomalyKind.DUPLICATE) c.damagedKeys.add(key);
        c.anomalies.add(new Anomaly(kind, key, message, CrashCheck.evidence(evidence), expected, got));
    }

    // ---- counters -------------------------------------------------------------------------------

    void counter() {
        long d = Keys.increment(key);
        long value;
        if (recovered == null) {
            value = 0;
        } else if (recovered instanceof Number n) {
            value = n.longValue();
        } else {
            anomaly(AnomalyKind.CORRUPT, "counter holds a value that is not an integer", List.of(), "an integer", recovered);
            value = 0;
        }
        if (value < 0 || value % d != 0) {
            anomaly(AnomalyKind.CORRUPT, "counter value " + value + " is not a multiple of its increment " + d
                    + ": no sequence of writes produces it", List.of(), "a multiple of " + d, value);
            value = Math.max(0, value - Math.floorMod(value, d));
        }
        int n = (int) Math.min(Integer.MAX_VALUE, value / d);
        int kb = known.size();
        if (c.withinKnown || n < kb) {
            if (n > kb) {
                // More than the observed part holds, and this explanation keeps none of the later writes.
                if (n > kb + extra.size()) tooHigh(value, n, d, kb, extra.size(), List.of());
                else c.inconsistent(key + " holds more than the observed state, yet no later write survived");
                n = kb;
            } else if (!c.withinKnown) {
                c.inconsistent(key + " holds less than the state an earlier crash observed");
            }
            keepKnown(n);
            c.lost.addAll(extra);
            return;
        }
        KeyLog next = known.prefix(kb);
        for (int p = 1; p <= kb; p++) if (known.at(p) != null) c.survived.add(known.at(p));
        Map<Long, Write> byPos = new HashMap<>();
        List<Write> info = new ArrayList<>();
        for (Write w : extra) {
            if (w.ok() && w.position() > kb) byPos.put(w.position(), w);
            else if (w.ok() && w.position() > 0) {
                anomaly(AnomalyKind.CORRUPT, "the server acknowledged a write at a position the key already held in the observed state",
                        List.of(w.pair()), "position > " + kb, w.position());
            } else if (w.info()) info.add(w);
        }
        long unclaimed = 0;
        for (long p = kb + 1; p <= n; p++) {
            Write w = byPos.get(p);
            if (w == null) unclaimed++;
            next.slots.add(w);
        }
        if (unclaimed > info.size()) {
            List<Pair> ev = new ArrayList<>();
            for (Write w : extra) if (w.ok()) ev.add(w.pair());
            tooHigh(value, n, d, kb, byPos.size() + info.size(), ev);
        }
        // Positions the acknowledged writes do not claim were filled by timed-out ones: none of them
        // when every position is claimed, all of them when there are exactly as many.
        Boolean infoIn = unclaimed == 0 ? Boolean.FALSE : unclaimed == info.size() ? Boolean.TRUE : null;
        if (infoIn != null) {
            for (Write w : info) {
                if (infoIn) c.survived.add(w);
                else c.lost.add(w);
            }
        }
        for (Write w : byPos.values()) {
            if (w.position() <= n) c.survived.add(w);
            else c.lost.add(w);
        }
        c.next.put(key, next);
    }

    /** The counter needs more increments than this range issued: from before a FLUSHALL (RESURRECTED) if an earlier segment had enough, else PHANTOM. */
    private void tooHigh(long value, int n, long d, int kb, long issued, List<Pair> ev) {
        if (cc.earlierSegmentReaches(key, c.from, n)) {
            anomaly(AnomalyKind.RESURRECTED, "counter recovered as " + value + ", more than the writes since the last FLUSHALL this "
                    + "explanation keeps produce; an earlier segment reached it: data from before an acknowledged FLUSHALL came back",
                    ev, "at most " + (kb + issued) * d, value);
        } else {
            anomaly(AnomalyKind.PHANTOM, "counter recovered as " + value + ", which takes " + (n - kb) + " increments beyond the "
                    + kb + " observed, but only " + issued + " acknowledged or unknown increments were issued", ev,
                    "at most " + (kb + issued) * d, value);
        }
    }

    private void keepKnown(int n) {
        for (int p = 1; p <= known.size(); p++) {
            Write w = known.at(p);
            if (w == null) continue;
            if (p <= n) c.survived.add(w);
            else c.lost.add(w);
        }
        c.next.put(key, known.prefix(n));
    }

    // ---- lists ----------------------------------------------------------------------------------

    void list() {
        List<String> got;
        if (recovered == null) {
            got = List.of();
        } else if (recovered instanceof List<?> l) {
            got = new ArrayList<>();
            for (Object o : l) got.add(String.valueOf(o));
        } else {
            anomaly(AnomalyKind.CORRUPT, "list key holds a value that is not a list", List.of(), "a list", recovered);
            got = List.of();
        }
        List<String> order = new ArrayList<>(got);
        if (Keys.pushesLeft(key)) Collections.reverse(order);
        Map<String, Integer> slotOf = new HashMap<>();
        for (int p = 1; p <= known.size(); p++) slotOf.put(known.at(p).element(), p);
        Map<Long, Write> byPos = new HashMap<>();
        for (Write w : extra) if (w.ok() && w.position() > 0) byPos.put(w.position(), w);
        KeyLog next = new KeyLog();
        Set<String> seen = new HashSet<>();
        Set<Write> present = new HashSet<>();
        int knownKept = 0;
        boolean extraKept = false;
        boolean holeReported = false;
        for (String e : order) {
            Write w = cc.elements().get(e);
            if (!seen.add(e)) {
                anomaly(AnomalyKind.DUPLICATE, "element " + e + " appears more than once", w == null ? List.of() : List.of(w.pair()), "once", got);
                continue;
            }
            if (w == null) {
                anomaly(AnomalyKind.PHANTOM, "element " + e + " was never written by any client", List.of(), null, e);
                continue;
            }
            if (w.pair().isFail()) {
                anomaly(AnomalyKind.PHANTOM, "element " + e + " came from a write the server refused", List.of(w.pair()), null, e);
                continue;
            }
            if (!w.key().equals(key)) {
                anomaly(AnomalyKind.CORRUPT, "element " + e + " was written to " + w.key(), List.of(w.pair()), w.key(), key);
                continue;
            }
            Integer g = cc.segmentOf(w);
            if (g == null) {
                anomaly(AnomalyKind.PHANTOM, "element " + e + " was lost at an earlier crash and came back", List.of(w.pair()), null, e);
                continue;
            }
            if (g > c.segment) {
                c.inconsistent(key + " holds " + e + ", written after a FLUSHALL this explanation leaves out");
                continue;
            }
            if (g < c.from) {
                Pair flush = cc.flushOpening(g + 1);
                anomaly(AnomalyKind.RESURRECTED, "element " + e + " was written before an acknowledged FLUSHALL and came back",
                        flush == null ? List.of(w.pair()) : List.of(w.pair(), flush), null, e);
                continue;
            }
            Integer slot = g == c.from ? slotOf.get(e) : null;
            if (slot != null && !extraKept && slot == next.size() + 1) {
                knownKept++;
            } else if (slot != null || knownKept < known.size()) {
                // Out of place inside the observed part (or a later write while some of it is gone): not a prefix.
                if (!holeReported) {
                    int p = next.size() + 1;
                    Write expected = p <= known.size() ? known.at(p) : null;
                    anomaly(AnomalyKind.HOLE, "position " + p + " held " + (expected == null ? "nothing" : expected.element())
                            + " in the state an earlier crash observed, but " + e + " came back there",
                            expected == null ? List.of(w.pair()) : List.of(expected.pair(), w.pair()),
                            expected == null ? null : expected.element(), e);
                    holeReported = true;
                }
                continue;
            } else if (c.withinKnown) {
                c.inconsistent(key + " holds " + e + ", written after the observed state this explanation cuts into");
                continue;
            } else {
                extraKept = true;
                long pos = next.size() + 1;
                Write claimed = byPos.get(pos);
                if (claimed != null && claimed != w) {
                    anomaly(AnomalyKind.HOLE, "the acknowledged push of " + claimed.element() + " to position " + pos
                            + " is missing while the later " + e + " sits there", List.of(claimed.pair(), w.pair()), claimed.element(), e);
                } else if (claimed == null && w.ok() && w.position() > 0 && w.position() != pos) {
                    // Its reply put it at another position: a push the server had applied before it is gone.
                    anomaly(AnomalyKind.HOLE, "the push of " + e + " was acknowledged at position " + w.position()
                            + " but came back at position " + pos + ": an earlier push is missing", List.of(w.pair()),
                            "position " + w.position(), "position " + pos);
                }
            }
            present.add(w);
            c.survived.add(w);
            next.slots.add(w);
        }
        if (!c.withinKnown && knownKept < known.size() && !holeReported) {
            c.inconsistent(key + " holds less than the state an earlier crash observed");
        }
        for (int p = 1; p <= known.size(); p++) if (!present.contains(known.at(p))) c.lost.add(known.at(p));
        for (Write w : extra) {
            if (present.contains(w)) continue;
            c.lost.add(w);
        }
        c.next.put(key, next);
    }
}
