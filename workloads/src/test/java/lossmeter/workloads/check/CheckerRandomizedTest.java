package lossmeter.workloads.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.generator.Workload;
import lossmeter.workloads.generator.Workloads;
import lossmeter.workloads.history.Functions;
import lossmeter.workloads.history.History;
import lossmeter.workloads.history.History.Pair;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.sim.ServerSimulator;
import lossmeter.workloads.sim.ServerSimulator.Fault;
import lossmeter.workloads.sim.ServerSimulator.Options;
import lossmeter.workloads.sim.ServerSimulator.Trial;

/**
 * Property tests of the checker against {@link ServerSimulator}, a seeded model of a CORRECT
 * server: whatever it produces must never be flagged; the same trials with a damaged recovered
 * state (or a damaged live read) must be flagged with the right anomaly kind.
 *
 * <p>Replay one seed: {@code -DargLine="-Dlossmeter.checker.seed=<seed>"}; more or fewer seeds:
 * {@code -Dlossmeter.checker.seeds=<n>} (default 300) for the correct-server runs,
 * {@code -Dlossmeter.checker.mutationSeeds=<n>} (default 150) for the mutations, first seed
 * {@code -Dlossmeter.checker.firstSeed} (default 1); {@code -Dlossmeter.checker.timing=true} prints
 * where the mutation runs spend their time.
 */
class CheckerRandomizedTest {
    private static final int SEEDS = Integer.getInteger("lossmeter.checker.seeds", 300);
    /** Mutated trials cost more to check (a rejected state makes the checker try every candidate). */
    private static final int MUTATION_SEEDS = Integer.getInteger("lossmeter.checker.mutationSeeds", 150);
    private static final long FIRST_SEED = Long.getLong("lossmeter.checker.firstSeed", 1);
    private static final Long ONLY_SEED = Long.getLong("lossmeter.checker.seed");
    private static final long MS = 1_000_000L;

    static List<Long> seeds() {
        return seeds(SEEDS);
    }

    static List<Long> seeds(int n) {
        if (ONLY_SEED != null) return List.of(ONLY_SEED);
        List<Long> out = new ArrayList<>();
        for (long s = FIRST_SEED; s < FIRST_SEED + n; s++) out.add(s);
        return out;
    }

    /** Trial shape derived from the seed: workload, keys, processes, ops, crashes, rates, faults. */
    static Options options(long seed, double flushTimeoutRate) {
        return options(seed, flushTimeoutRate, false);
    }

    static Options options(long seed, double flushTimeoutRate, boolean cutBeforeEarlierFlush) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        String name = Workloads.NAMES.get(r.nextInt(Workloads.NAMES.size()));
        int keys = 1 + r.nextInt(r.nextBoolean() ? 2 : 6);
        Workload w = Workloads.byName(name, keys);
        long[] windows = {MS, 10 * MS, 100 * MS, 1000 * MS};
        return new Options(1000 + r.nextInt(3001), 2 + r.nextInt(9), w, 1 + r.nextInt(4), r.nextDouble() * 0.04, flushTimeoutRate,
                r.nextDouble() < 0.5 ? 0 : r.nextDouble() * 0.02, List.of(Fault.values()), windows[r.nextInt(windows.length)], MS,
                cutBeforeEarlierFlush);
    }

    static String describe(Trial t) {
        Options o = t.options();
        StringBuilder sb = new StringBuilder("seed=" + t.seed() + " (replay: -DargLine=\"-Dlossmeter.checker.seed=" + t.seed() + "\")"
                + " workload=" + o.workload().name() + " keys=" + o.workload().keys() + " processes=" + o.processes() + " ops="
                + o.ops() + " history=" + t.history().size() + " records; crashes:");
        for (ServerSimulator.CrashTruth c : t.truth()) {
            sb.append(" [").append(c.fault().label).append(" @").append(c.crash().time() / MS).append("ms bound=")
                    .append(c.crash().bound()).append(" kept ").append(c.keptPrefix()).append('/').append(c.logLengthAtCrash()).append(']');
        }
        return sb.toString();
    }

    // ---- a correct server is never flagged ------------------------------------------------------

    @Test
    void correctServerIsNeverFlagged() {
        runClean(0.0, false);
    }

    @Test
    void correctServerWithTimedOutFlushallsIsNeverFlagged() {
        runClean(0.3, false);
    }

    @Test
    void correctServerLosingAnEarlierCyclesFlushallIsNeverFlagged() {
        runClean(0.0, true);
    }

    private void runClean(double flushTimeoutRate, boolean cutBeforeEarlierFlush) {
        List<String> failures = new ArrayList<>();
        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        long records = 0;
        int info = 0;
        int ambiguous = 0;
        for (long seed : seeds()) {
            Trial t = ServerSimulator.run(seed, options(seed, flushTimeoutRate, cutBeforeEarlierFlush));
            records += t.history().size();
            for (Op op : t.history().ops()) if (op.isInfo()) info++;
            CheckResult r;
            try {
                r = Checker.check(t.history(), t.crashes());
            } catch (RuntimeException e) {
                failures.add(describe(t) + "\n  checker threw " + e);
                continue;
            }
            boolean bad = !r.liveReadAnomalies().isEmpty();
            String why = "";
            for (int i = 0; i < r.crashes().size(); i++) {
                CrashVerdict v = r.crashes().get(i);
                verdicts.merge(v.verdict(), 1, Integer::sum);
                if (!v.verdict().passes() || !v.anomalies().isEmpty()) bad = true;
                if (v.ambiguous()) ambiguous++;
                // What the server really lost lies in the reported range: the least is never more, the most never less.
                long truth = t.truth().get(i).lossWindowNanos();
                if (v.lossWindowNanos() > truth || v.lossWindowUpperNanos() < truth) {
                    bad = true;
                    why += "  crash " + v.cycle() + ": true loss window " + truth / 1e6 + " ms outside the reported ["
                            + v.lossWindowNanos() / 1e6 + ", " + v.lossWindowUpperNanos() / 1e6 + "] ms\n";
                }
            }
            if (r.crashes().size() != t.crashes().size()) bad = true;
            if (bad) failures.add(describe(t) + "\n" + why + CheckerHistoriesTest.describe(r));
        }
        System.out.printf("correct server (flush timeouts %.0f%%, cut before earlier flush %s): %d seeds, %d records, %d info ops,"
                + " verdicts %s, ambiguous crashes %d, failing seeds %d%n", flushTimeoutRate * 100, cutBeforeEarlierFlush, seeds().size(),
                records, info, verdicts, ambiguous, failures.size());
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + seeds().size() + " correct-server trials were flagged; first ones:\n"
                    + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
        }
        if (ONLY_SEED == null) {
            assertThat(verdicts.getOrDefault(Verdict.LOSS_WITHIN_POLICY, 0)).as("trials with loss within policy").isGreaterThan(0);
            assertThat(verdicts.getOrDefault(Verdict.OK, 0)).as("trials without loss").isGreaterThan(0);
        }
    }

    @Test
    void simulationReplaysFromItsSeed() {
        Trial a = ServerSimulator.run(42, options(42, 0.0));
        Trial b = ServerSimulator.run(42, options(42, 0.0));
        assertThat(b.history().ops()).isEqualTo(a.history().ops());
        assertThat(b.crashes()).isEqualTo(a.crashes());
    }

    // ---- a damaged state is flagged with the right kind -----------------------------------------

    /** A damage to the last crash's recovered state (or to one live read) and the kind it must produce. */
    enum Mutation {
        DROP_MIDDLE_ELEMENT(AnomalyKind.HOLE),
        BUMP_COUNTER_BEYOND_ISSUED(AnomalyKind.PHANTOM),
        ADD_UNKNOWN_ELEMENT(AnomalyKind.PHANTOM),
        DUPLICATE_ELEMENT(AnomalyKind.DUPLICATE),
        SPLIT_TRANSACTION(AnomalyKind.TORN_TXN),
        RESURRECT_FLUSHED_ELEMENT(AnomalyKind.RESURRECTED),
        LOSE_ACKED_TAIL(AnomalyKind.LOST_ACKED),
        COUNTER_NOT_MULTIPLE(AnomalyKind.CORRUPT),
        ELEMENT_IN_WRONG_KEY(AnomalyKind.CORRUPT),
        STALE_LIVE_READ(AnomalyKind.STALE_READ);

        final AnomalyKind expected;

        Mutation(AnomalyKind expected) {
            this.expected = expected;
        }
    }

    /** The mutated input, or null when the mutation does not apply to this trial. */
    private record Mutated(History history, List<Crash> crashes, String what) {
    }

    /** Mutations of a last crash that kept everything earlier crashes kept (the damage is in this cycle's data). */
    @Test
    void damagedStatesAreFlaggedWithTheRightKind() {
        runMutations(true);
    }

    @Test
    void damagedStatesAfterACutIntoEarlierCyclesAreFlaggedWithTheRightKind() {
        runMutations(false);
    }

    private void runMutations(boolean baseKept) {
        List<String> failures = new ArrayList<>();
        Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
        Map<Mutation, Long> checkNanos = new EnumMap<>(Mutation.class);
        Map<Mutation, Long> mutateNanos = new EnumMap<>(Mutation.class);
        int trials = 0;
        List<Long> seeds = seeds(MUTATION_SEEDS);
        for (long seed : seeds) {
            Trial t = ServerSimulator.run(seed, options(seed, 0.0));
            if (t.truth().getLast().keptEarlierCycles() != baseKept) continue;
            trials++;
            Facts f = new Facts(t);
            for (Mutation m : Mutation.values()) {
                long t0 = System.nanoTime();
                Mutated x = mutate(m, t, f, new SplittableRandom(seed * 31 + m.ordinal()));
                long t1 = System.nanoTime();
                mutateNanos.merge(m, t1 - t0, Long::sum);
                if (x == null) continue;
                applied.merge(m, 1, Integer::sum);
                CheckResult r = Checker.check(x.history(), x.crashes());
                checkNanos.merge(m, System.nanoTime() - t1, Long::sum);
                Set<AnomalyKind> kinds = new HashSet<>();
                for (CrashVerdict v : r.crashes()) for (Anomaly a : v.anomalies()) kinds.add(a.kind());
                for (Anomaly a : r.liveReadAnomalies()) kinds.add(a.kind());
                boolean ok = kinds.contains(m.expected);
                if (m != Mutation.STALE_LIVE_READ) ok &= r.crashes().getLast().verdict() == Verdict.VIOLATION;
                if (!ok) {
                    failures.add(describe(t) + "\n  mutation " + m + " (" + x.what() + ") must produce " + m.expected + ", got "
                            + new TreeMap<>(count(r)) + "\n" + CheckerHistoriesTest.describe(r));
                }
            }
        }
        System.out.println("mutations (last crash " + (baseKept ? "kept" : "cut into") + " earlier cycles) applied over " + trials
                + " of " + seeds.size() + " seeds: " + applied + "; not flagged as expected: " + failures.size());
        if (Boolean.getBoolean("lossmeter.checker.timing")) {
            checkNanos.forEach((m, n) -> System.out.printf("  %-26s check %6d ms, mutate %6d ms%n", m, n / MS, mutateNanos.get(m) / MS));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " mutated trials were not flagged as expected; first ones:\n"
                    + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
        }
        if (ONLY_SEED == null) {
            for (Mutation m : Mutation.values()) {
                // A cut into earlier cycles keeps nothing of the last cycle and needs a bound above 0, so the
                // mutations that damage the last cycle's kept writes or need bound 0 cannot apply there.
                boolean needsLastCycleOrBoundZero = m == Mutation.SPLIT_TRANSACTION || m == Mutation.RESURRECT_FLUSHED_ELEMENT
                        || m == Mutation.LOSE_ACKED_TAIL;
                if (!baseKept && needsLastCycleOrBoundZero) continue;
                assertThat(applied.getOrDefault(m, 0)).as("trials that mutation " + m + " applied to").isGreaterThanOrEqualTo(baseKept ? 10 : 1);
            }
        }
    }

    private static Map<AnomalyKind, Integer> count(CheckResult r) {
        Map<AnomalyKind, Integer> m = new EnumMap<>(AnomalyKind.class);
        for (CrashVerdict v : r.crashes()) for (Anomaly a : v.anomalies()) m.merge(a.kind(), 1, Integer::sum);
        for (Anomaly a : r.liveReadAnomalies()) m.merge(a.kind(), 1, Integer::sum);
        return m;
    }

    /** What the mutations need to know about a trial. */
    private static final class Facts {
        final Trial t;
        final List<Pair> pairs;
        final Map<String, Pair> pushOf = new HashMap<>();      // element → the plain push or txn that wrote it
        final Map<Op, Pair> byInvoke = new HashMap<>();
        final Crash last;
        final long cycleStart;                                  // time of the crash before the last one (or -∞)
        final List<Op> kept;                                    // invocations in the last crash's kept log, in order
        final int lastKeptFlush;                                // index in kept of the last FLUSHALL, -1 if none

        Facts(Trial t) {
            this.t = t;
            this.pairs = t.history().pairs();
            for (Pair p : pairs) {
                byInvoke.put(p.invoke(), p);
                if (p.f().equals(Functions.RPUSH) || p.f().equals(Functions.LPUSH)) pushOf.put((String) p.invoke().value(), p);
                if (p.f().equals(Functions.TXN)) {
                    for (Object s : (List<?>) p.invoke().value()) {
                        List<?> st = (List<?>) s;
                        if (!st.get(0).equals(Functions.INCR)) pushOf.put((String) st.get(2), p);
                    }
                }
            }
            List<Crash> cs = t.crashes();
            last = cs.getLast();
            cycleStart = cs.size() > 1 ? cs.get(cs.size() - 2).time() : Long.MIN_VALUE;
            kept = t.truth().getLast().keptInvocations();
            int lf = -1;
            for (int i = 0; i < kept.size(); i++) if (kept.get(i).f().equals(Functions.FLUSHALL)) lf = i;
            lastKeptFlush = lf;
        }

        boolean inLastCycle(Pair p) {
            return p.invokeTime() > cycleStart && p.invokeTime() <= last.time();
        }

        /** The recovered lists in growth order (oldest first). */
        Map<String, List<String>> lists() {
            Map<String, List<String>> out = new TreeMap<>();
            for (Map.Entry<String, Object> e : last.recovered().entrySet()) {
                if (!Keys.isList(e.getKey())) continue;
                List<String> l = new ArrayList<>();
                for (Object o : (List<?>) e.getValue()) l.add((String) o);
                if (Keys.pushesLeft(e.getKey())) Collections.reverse(l);
                out.put(e.getKey(), l);
            }
            return out;
        }
    }

    private static Mutated withState(Trial t, Function<Map<String, Object>, String> change) {
        Map<String, Object> state = new LinkedHashMap<>(t.crashes().getLast().recovered());
        String what = change.apply(state);
        if (what == null) return null;
        List<Crash> cs = new ArrayList<>(t.crashes());
        Crash c = cs.getLast();
        cs.set(cs.size() - 1, new Crash(c.cycle(), c.fault(), c.time(), state, c.bound(), c.unavailableReason()));
        return new Mutated(t.history(), cs, what);
    }

    /** Stores a list given in growth order back in Redis order (or removes the key when empty). */
    private static void putList(Map<String, Object> state, String key, List<String> growth) {
        if (growth.isEmpty()) {
            state.remove(key);
            return;
        }
        List<String> l = new ArrayList<>(growth);
        if (Keys.pushesLeft(key)) Collections.reverse(l);
        state.put(key, l);
    }

    private static <T> T pick(SplittableRandom r, List<T> xs) {
        return xs.isEmpty() ? null : xs.get(r.nextInt(xs.size()));
    }

    private static Mutated mutate(Mutation m, Trial t, Facts f, SplittableRandom r) {
        Map<String, List<String>> lists = f.lists();
        boolean strict = f.last.bound().windowNanos() == 0;
        return switch (m) {
            case DROP_MIDDLE_ELEMENT -> {
                List<String[]> choices = new ArrayList<>(); // key, index
                for (Map.Entry<String, List<String>> e : lists.entrySet()) {
                    List<String> l = e.getValue();
                    for (int i = 1; i < l.size() - 1; i++) {
                        Pair p = f.pushOf.get(l.get(i));
                        if (p != null && p.isOk()) choices.add(new String[]{e.getKey(), String.valueOf(i)});
                    }
                }
                String[] c = pick(r, choices);
                if (c == null) yield null;
                yield withState(t, s -> {
                    List<String> l = new ArrayList<>(lists.get(c[0]));
                    String gone = l.remove(Integer.parseInt(c[1]));
                    putList(s, c[0], l);
                    return "dropped acked " + gone + " from the middle of " + c[0];
                });
            }
            case BUMP_COUNTER_BEYOND_ISSUED -> {
                String key = Keys.counter(r.nextInt(t.options().workload().keys()));
                long issued = 0;
                for (Pair p : f.pairs) {
                    if (p.isFail() || p.invokeTime() > f.last.time()) continue;
                    if (p.f().equals(Functions.INCR) && p.key().equals(key)) issued++;
                    if (p.f().equals(Functions.TXN)) {
                        for (Object s : (List<?>) p.invoke().value()) if (((List<?>) s).get(1).equals(key)) issued++;
                    }
                }
                long n = issued;
                long v = (n + 1 + r.nextInt(3)) * Keys.increment(key);
                yield withState(t, s -> {
                    s.put(key, v);
                    return key + " = " + v + " after " + n + " increments issued in the whole trial";
                });
            }
            case ADD_UNKNOWN_ELEMENT -> {
                String key = Keys.list(r.nextInt(t.options().workload().keys()));
                yield withState(t, s -> {
                    List<String> l = new ArrayList<>(lists.getOrDefault(key, List.of()));
                    l.add("zz-" + r.nextInt(1000));
                    putList(s, key, l);
                    return "pushed an element nobody wrote onto " + key;
                });
            }
            case DUPLICATE_ELEMENT -> {
                List<String> keys = new ArrayList<>(lists.keySet());
                String key = pick(r, keys);
                if (key == null) yield null;
                yield withState(t, s -> {
                    List<String> l = new ArrayList<>(lists.get(key));
                    String e = l.get(r.nextInt(l.size()));
                    l.add(e);
                    putList(s, key, l);
                    return "pushed " + e + " onto " + key + " a second time";
                });
            }
            case SPLIT_TRANSACTION -> {
                // An acked MULTI/EXEC of the last cycle, after the last kept FLUSHALL, whose one step is at
                // the growth end of its key: take that step's effect away. Only transactions no kept write
                // began after, so the split is the one anomaly (else a real-time HOLE comes with it, and the
                // checker's ranking by anomaly count may then prefer another explanation: see
                // histories/torn-txn-bad-after-flush-in-later-cycle.json).
                long lastKeptInvoke = Long.MIN_VALUE;
                for (int i = f.lastKeptFlush + 1; i < f.kept.size(); i++) lastKeptInvoke = Math.max(lastKeptInvoke, f.kept.get(i).time());
                List<Object[]> choices = new ArrayList<>(); // pair, step
                for (int i = f.lastKeptFlush + 1; i < f.kept.size(); i++) {
                    Pair p = f.byInvoke.get(f.kept.get(i));
                    if (!p.f().equals(Functions.TXN) || !p.isOk() || !f.inLastCycle(p)) continue;
                    if (p.completeTime() < lastKeptInvoke) continue;
                    List<?> steps = (List<?>) p.invoke().value();
                    List<?> results = (List<?>) p.completion().value();
                    for (int j = 0; j < steps.size(); j++) {
                        List<?> st = (List<?>) steps.get(j);
                        String key = (String) st.get(1);
                        if (Keys.isList(key)) {
                            List<String> l = lists.get(key);
                            if (l != null && l.getLast().equals(st.get(2))) choices.add(new Object[]{p, j});
                        } else {
                            Object v = f.last.recovered().get(key);
                            if (v != null && v.equals(results.get(j))) choices.add(new Object[]{p, j});
                        }
                    }
                }
                Object[] c = pick(r, choices);
                if (c == null) yield null;
                Pair p = (Pair) c[0];
                List<?> st = (List<?>) ((List<?>) p.invoke().value()).get((int) c[1]);
                String key = (String) st.get(1);
                yield withState(t, s -> {
                    if (Keys.isList(key)) {
                        List<String> l = new ArrayList<>(lists.get(key));
                        l.removeLast();
                        putList(s, key, l);
                    } else {
                        long v = ((Number) s.get(key)).longValue() - Keys.increment(key);
                        if (v == 0) s.remove(key);
                        else s.put(key, v);
                    }
                    return "removed step " + st + " of " + p.invoke();
                });
            }
            case RESURRECT_FLUSHED_ELEMENT -> {
                // Under a bound of 0 no FLUSHALL may be lost: put back an element an acked, kept
                // FLUSHALL of the last cycle wiped.
                if (!strict || f.lastKeptFlush < 0) yield null;
                Pair flush = f.byInvoke.get(f.kept.get(f.lastKeptFlush));
                if (!flush.isOk() || flush.completeTime() > f.last.time() || !f.inLastCycle(flush)) yield null;
                List<String> gone = new ArrayList<>();
                for (int i = 0; i < f.lastKeptFlush; i++) {
                    Pair p = f.byInvoke.get(f.kept.get(i));
                    if ((p.f().equals(Functions.RPUSH) || p.f().equals(Functions.LPUSH)) && f.inLastCycle(p)) {
                        gone.add((String) p.invoke().value());
                    }
                }
                String e = pick(r, gone);
                if (e == null) yield null;
                String key = f.pushOf.get(e).key();
                yield withState(t, s -> {
                    List<String> l = new ArrayList<>(lists.getOrDefault(key, List.of()));
                    l.add(e);
                    putList(s, key, l);
                    return "put " + e + " (wiped by " + flush.invoke() + ") back onto " + key;
                });
            }
            case LOSE_ACKED_TAIL -> {
                if (!strict) yield null;
                List<String> keys = new ArrayList<>();
                for (Map.Entry<String, List<String>> e : lists.entrySet()) {
                    Pair p = f.pushOf.get(e.getValue().getLast());
                    if (p != null && p.isOk() && !p.f().equals(Functions.TXN) && p.completeTime() <= f.last.time()) keys.add(e.getKey());
                }
                String key = pick(r, keys);
                if (key == null) yield null;
                yield withState(t, s -> {
                    List<String> l = new ArrayList<>(lists.get(key));
                    String gone = l.removeLast();
                    putList(s, key, l);
                    return "dropped the acked tail " + gone + " of " + key + " under bound 0";
                });
            }
            case COUNTER_NOT_MULTIPLE -> {
                if (t.options().workload().keys() < 2) yield null;
                String key = Keys.counter(1); // odd counters step by 3
                yield withState(t, s -> {
                    Object v = s.get(key);
                    long nv = (v == null ? 0 : ((Number) v).longValue()) + 1 + r.nextInt(2);
                    s.put(key, nv);
                    return key + " = " + nv + ", not a multiple of 3";
                });
            }
            case ELEMENT_IN_WRONG_KEY -> {
                if (t.options().workload().keys() < 2 || lists.isEmpty()) yield null;
                String from = pick(r, new ArrayList<>(lists.keySet()));
                String to;
                do {
                    to = Keys.list(r.nextInt(t.options().workload().keys()));
                } while (to.equals(from));
                String target = to;
                yield withState(t, s -> {
                    List<String> l = new ArrayList<>(lists.getOrDefault(target, List.of()));
                    String e = lists.get(from).getLast();
                    l.add(e);
                    putList(s, target, l);
                    return "copied " + e + " of " + from + " onto " + target;
                });
            }
            case STALE_LIVE_READ -> staleRead(t, f, r);
        };
    }

    /**
     * Makes one ok GET return a value that misses a write acknowledged before the GET began
     * (same cycle, no FLUSHALL in between).
     */
    private static Mutated staleRead(Trial t, Facts f, SplittableRandom r) {
        List<Pair> ps = f.pairs;
        List<Long> flushEnds = new ArrayList<>();
        for (Pair p : ps) if (p.f().equals(Functions.FLUSHALL) && !p.isFail()) flushEnds.add(p.completeTime());
        List<Long> crashTimes = t.crashes().stream().map(Crash::time).toList();
        List<Object[]> choices = new ArrayList<>(); // read, new value
        Map<String, List<Pair>> incrs = new HashMap<>();
        for (Pair p : ps) if (p.f().equals(Functions.INCR) && p.isOk()) incrs.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
        for (Pair read : ps) {
            if (!read.f().equals(Functions.GET) || !read.isOk()) continue;
            long from = Long.MIN_VALUE; // the latest crash or FLUSHALL end before the read began
            for (long c : crashTimes) if (c < read.invokeTime()) from = Math.max(from, c);
            for (long e : flushEnds) if (e <= read.invokeTime()) from = Math.max(from, e);
            long best = -1;
            for (Pair w : incrs.getOrDefault(read.key(), List.of())) {
                if (w.invokeTime() > from && w.completeTime() < read.invokeTime()) best = Math.max(best, ((Number) w.completion().value()).longValue());
            }
            if (best > 0) choices.add(new Object[]{read, best - Keys.increment(read.key())});
        }
        Object[] c = pick(r, choices);
        if (c == null) return null;
        Pair read = (Pair) c[0];
        long v = (long) c[1];
        List<Op> ops = new ArrayList<>(t.history().ops());
        Op done = read.completion();
        ops.set((int) done.index(), new Op(done.index(), done.time(), done.type(), done.process(), done.f(), done.key(), v == 0 ? null : v, null));
        return new Mutated(new History(ops), t.crashes(), read.invoke() + " now returns " + (v == 0 ? "nil" : v)
                + ", missing the write acknowledged before it began");
    }
}
