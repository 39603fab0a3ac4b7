package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import lossmeter.workloads.history.History;
import lossmeter.workloads.history.History.Pair;

/**
 * Judges a trial's history against the states read back after each crash, by the contract in
 * docs/design.md: prefix consistency, durability by policy, live-read linearizability, loss metrics.
 * Ops belong to the cycle of the first crash at or after their invocation; each crash is checked
 * against the log the previous ones kept (every FLUSHALL-separated segment of it, since a later crash
 * may cut back before an earlier cycle's FLUSHALL), so data kept by one crash and lost by a later
 * one (e.g. unsynced after a kill, then dropped by a power loss) is charged to the later crash.
 * How a crash is judged depends on its fault's {@link FaultClass}: see {@link Crash#effectiveBound()}.
 */
public final class Checker {
    private Checker() {
    }

    public static CheckResult check(History history, List<Crash> crashes) {
        List<Crash> sorted = new ArrayList<>(crashes);
        sorted.sort((a, b) -> Long.compare(a.time(), b.time()));
        List<List<Pair>> perCycle = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) perCycle.add(new ArrayList<>());
        long[] times = sorted.stream().mapToLong(Crash::time).toArray();
        for (Pair p : history.pairs()) {
            int c = cycleOf(times, p.invokeTime());
            if (c < times.length) perCycle.get(c).add(p);
        }
        List<Cycle> cycles = new ArrayList<>();
        Map<String, Write> elements = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            Cycle cy = new Cycle(sorted.get(i).cycle(), perCycle.get(i));
            cycles.add(cy);
            for (Write w : cy.writes) {
                String e = w.element();
                if (e != null && !w.f().equals(lossmeter.workloads.history.Functions.INCR)) elements.putIfAbsent(e, w);
            }
        }
        Map<Pair, List<Write>> stepsByTxn = new IdentityHashMap<>();
        for (Cycle cy : cycles) stepsByTxn.putAll(cy.stepsByTxn);
        DurableLog log = DurableLog.empty();
        List<CrashVerdict> verdicts = new ArrayList<>();
        List<Anomaly> live = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Crash crash = sorted.get(i);
            Cycle cy = cycles.get(i);
            live.addAll(LiveReadCheck.check(cy, log.current(), elements));
            if (crash.recovered() == null) {
                verdicts.add(unavailable(crash));
                break;
            }
            CrashCheck cc = new CrashCheck(log, cy, crash, elements, stepsByTxn);
            CrashCheck.Explanation e = cc.explain();
            CrashVerdict v = cc.verdict(e.least());
            if (e.most() != e.least()) {
                // Only the numbers of the most-loss explanation are kept: it is reported, never judged.
                CrashVerdict upper = cc.verdict(e.most());
                v = v.withUpper(upper.lostAcked(), upper.lossWindowNanos());
            }
            verdicts.add(afterRepair(crash, v));
            log = cc.next(e.least());
        }
        return new CheckResult(verdicts, live);
    }

    /** Refusing to start after media damage is a correct answer to corruption; after any other fault it is a failure. */
    private static CrashVerdict unavailable(Crash crash) {
        String reason = crash.unavailableReason();
        String note = crash.faultClass() == FaultClass.MEDIA
                ? "refused to start after media damage, a correct answer to corruption: " + reason
                : reason;
        return new CrashVerdict(crash.cycle(), crash.fault(), crash.time(), Verdict.UNAVAILABLE, List.of(), 0, 0, 0, -1, note,
                crash.faultClass(), List.of());
    }

    /**
     * A target that refused to start and came back only after its repair tool ran: the state it
     * came back with is judged like any other (silent damage stays a VIOLATION), but a passing
     * verdict becomes UNAVAILABLE with the refusal as its note, as docs/design.md defines the verdict.
     */
    private static CrashVerdict afterRepair(Crash crash, CrashVerdict v) {
        if (crash.unavailableReason() == null || v.verdict() == Verdict.VIOLATION) return v;
        String note = v.note() == null || v.note().isEmpty()
                ? crash.unavailableReason()
                : crash.unavailableReason() + "; " + v.note();
        return new CrashVerdict(v.cycle(), v.fault(), v.crashTime(), Verdict.UNAVAILABLE, v.anomalies(), v.ackedWrites(),
                v.lostAcked(), v.lossWindowNanos(), v.durableHorizonNanos(), note, v.faultClass(), v.lostToDamage(),
                v.lostAckedUpper(), v.lossWindowUpperNanos(), v.ambiguous());
    }

    /** Index of the first crash at or after t: the cycle an op invoked at t belongs to. */
    private static int cycleOf(long[] crashTimes, long t) {
        return Sorted.countBelow(crashTimes, t);
    }
}
