package lossmeter.harness.explore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import lossmeter.faults.CrashPoint;
import lossmeter.harness.node.FileTrees;
import lossmeter.workloads.generator.OpMix;

/**
 * Shrinks a failing scenario to a smaller one that still fails with the same kind of anomaly, in
 * the order that helps most: crash cycles → 1, clients → 1, keys → 1, the op mix to the fewest op
 * kinds, then the ops before each crash (bisection, last cycle first), then each aimed crash point
 * (the earliest occurrence that still fails). Real servers are not deterministic, so a candidate
 * counts as failing when it fails in {@code k} of at most {@code n} runs (it stops as soon as the
 * answer is known). Bounded by a time budget: when it runs out, the smallest failing scenario
 * found so far is the result. Every accepted step is reported to the listener.
 */
public final class Shrinker {
    /** One accepted step: what changed, and the failing run's history length before and after. */
    public record Step(String what, String from, String to, long opsBefore, long opsAfter, long atNanos) {
    }

    /** The shrunk scenario, its failing run (kept in {@code dir}), the steps, how many runs it took, and whether the budget ended it. */
    public record Result(Scenario scenario, ScenarioRunner.Outcome failing, Path dir, List<Step> steps, int runs, boolean budgetSpent) {
    }

    /** Told of each accepted step as it happens. */
    public interface Listener {
        void accepted(Step step);
    }

    private final ScenarioRunner runner;
    private final String kind;
    private final int k;
    private final int n;
    private final long budgetNanos;
    private final LongSupplier clock;
    private final Path work;
    private final Listener listener;
    private final long start;
    private final List<Step> steps = new ArrayList<>();
    private int runs;
    private int candidates;
    private boolean spent;

    private Scenario best;
    private ScenarioRunner.Outcome bestOutcome;
    private Path bestDir;

    /**
     * {@code kind}: the anomaly kind that must keep showing; {@code work}: where candidates' results
     * dirs go (those of rejected candidates are deleted); {@code clock}: nanoseconds.
     */
    public Shrinker(ScenarioRunner runner, String kind, int k, int n, long budgetNanos, LongSupplier clock, Path work, Listener listener) {
        if (k < 1 || n < k) throw new IllegalArgumentException("a candidate fails when it fails in k of n runs: need 1 ≤ k ≤ n, not " + k + " of " + n);
        this.runner = runner;
        this.kind = kind;
        this.k = k;
        this.n = n;
        this.budgetNanos = budgetNanos;
        this.clock = clock;
        this.work = work;
        this.listener = listener;
        this.start = clock.getAsLong();
    }

    /** Shrinks {@code original}, whose run {@code failed} (in {@code dir}) with the kind this shrinker keeps. */
    public Result shrink(Scenario original, ScenarioRunner.Outcome failed, Path dir) throws IOException {
        best = failed.resolved();
        bestOutcome = failed;
        bestDir = dir;
        cycles();
        clients();
        keys();
        mix();
        ops();
        crashPoints();
        return new Result(best, bestOutcome, bestDir, List.copyOf(steps), runs, spent);
    }

    private void cycles() throws IOException {
        if (best.cycles().size() == 1) return;
        List<Scenario.Cycle> cs = best.cycles();
        int f = bestOutcome.failingCycle() >= 1 ? bestOutcome.failingCycle() : cs.size();
        long upTo = 0;
        for (int i = 0; i < f; i++) upTo += cs.get(i).ops();
        Scenario.Cycle failing = cs.get(f - 1);
        String from = cs.size() + " cycles";
        for (Scenario.Cycle only : new LinkedHashSet<>(List.of(new Scenario.Cycle(upTo, failing.point()), failing, cs.getFirst()))) {
            if (accept(best.withCycles(List.of(only)), "crash cycles", from, "1 (" + only.ops() + " ops)")) return;
        }
        // No single cycle fails: drop the cycles after the failing one, then each before it.
        if (f < cs.size() && accept(best.withCycles(cs.subList(0, f)), "crash cycles", from, f + " (those after the failing crash dropped)")) {
            cs = best.cycles();
        }
        for (int i = cs.size() - 2; i >= 0 && best.cycles().size() > 1; i--) {
            List<Scenario.Cycle> fewer = new ArrayList<>(best.cycles());
            if (i >= fewer.size() - 1) continue;
            Scenario.Cycle dropped = fewer.remove(i);
            Scenario.Cycle next = fewer.get(i);
            fewer.set(i, new Scenario.Cycle(dropped.ops() + next.ops(), next.point()));
            accept(best.withCycles(fewer), "crash cycles", best.cycles().size() + " cycles", fewer.size() + " (cycle " + (i + 1) + " merged into the next)");
        }
    }

    private void clients() throws IOException {
        for (int c : smaller(best.clients())) {
            if (accept(best.withClients(c), "clients", Integer.toString(best.clients()), Integer.toString(c))) return;
        }
    }

    private void keys() throws IOException {
        for (int c : smaller(best.keys())) {
            if (accept(best.withKeys(c), "keys", Integer.toString(best.keys()), Integer.toString(c))) return;
        }
    }

    /** 1, 2, then halves of the current value, each below it, smallest first. */
    private static List<Integer> smaller(int current) {
        Set<Integer> s = new java.util.TreeSet<>();
        for (int c : new int[] {1, 2, current / 2}) if (c >= 1 && c < current) s.add(c);
        return List.copyOf(s);
    }

    /** Drops op kinds one at a time while the scenario still fails; reads and flushes first, since they rarely matter. */
    private void mix() throws IOException {
        boolean dropped = true;
        while (dropped && !spent) {
            dropped = false;
            for (String kindOfOp : List.of("read", "flush", "txn", "push", "incr")) {
                OpMix m = best.mix();
                if (!best.opKinds().contains(kindOfOp) || best.opKinds().size() == 1) continue;
                OpMix without = without(m, kindOfOp);
                if (accept(best.withMix(without), "op mix", m.toString(), without.toString())) {
                    dropped = true;
                    break;
                }
            }
        }
    }

    static OpMix without(OpMix m, String kindOfOp) {
        return new OpMix(kindOfOp.equals("incr") ? 0 : m.incr(), kindOfOp.equals("push") ? 0 : m.push(), kindOfOp.equals("txn") ? 0 : m.txn(),
                kindOfOp.equals("read") ? 0 : m.read(), kindOfOp.equals("flush") ? 0 : m.flush());
    }

    /** Bisects each cycle's op count, last cycle first: the fewest ops before the crash that still fail. */
    private void ops() throws IOException {
        for (int i = best.cycles().size() - 1; i >= 0 && !spent; i--) {
            int cycle = i;
            bisect(best.cycles().get(i).ops(), 1, v -> withOps(best, cycle, v), "ops before crash " + (i + 1));
        }
    }

    /** Bisects each aimed crash point's count: the earliest occurrence of its operation that still fails. */
    private void crashPoints() throws IOException {
        for (int i = best.cycles().size() - 1; i >= 0 && !spent; i--) {
            CrashPoint p = best.cycles().get(i).point();
            if (p == null || p.n() <= 1) continue;
            int cycle = i;
            bisect(p.n(), 1, v -> withPoint(best, cycle, best.cycles().get(cycle).point().withN(v)), "crash point " + (i + 1) + " (#n of "
                    + p.op().word() + ")");
        }
    }

    private interface Variant {
        Scenario at(long v);
    }

    /** Finds the smallest value in [lo, hi] that still fails, assuming hi does and that failing grows with the value. */
    private void bisect(long hi, long lo, Variant variant, String what) throws IOException {
        while (lo < hi && !spent) {
            long mid = lo + (hi - lo) / 2;
            if (accept(variant.at(mid), what, Long.toString(hi), Long.toString(mid))) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
    }

    private static Scenario withOps(Scenario s, int cycle, long ops) {
        List<Scenario.Cycle> cs = new ArrayList<>(s.cycles());
        cs.set(cycle, new Scenario.Cycle(ops, cs.get(cycle).point()));
        return s.withCycles(cs);
    }

    private static Scenario withPoint(Scenario s, int cycle, CrashPoint p) {
        List<Scenario.Cycle> cs = new ArrayList<>(s.cycles());
        cs.set(cycle, new Scenario.Cycle(cs.get(cycle).ops(), p));
        return s.withCycles(cs);
    }

    /**
     * Tests a candidate: runs it until it failed with the kind {@code k} times (accepted: it becomes
     * the best, its first failing run kept) or can no longer reach {@code k} in {@code n} runs.
     */
    private boolean accept(Scenario candidate, String what, String from, String to) throws IOException {
        if (spent || candidate.equals(best)) return false;
        int id = ++candidates;
        int fails = 0;
        ScenarioRunner.Outcome first = null;
        Path firstDir = null;
        List<Path> dirs = new ArrayList<>();
        for (int run = 1; run <= n && fails < k && (run - 1 - fails) <= n - k; run++) {
            if (clock.getAsLong() - start > budgetNanos) {
                spent = true;
                break;
            }
            Path dir = work.resolve(String.format("%04d-%d", id, run));
            dirs.add(dir);
            runs++;
            ScenarioRunner.Outcome o = runner.run(candidate, dir);
            if (o.failsWith(kind)) {
                fails++;
                if (first == null) {
                    first = o;
                    firstDir = dir;
                }
            }
        }
        boolean ok = fails >= k;
        for (Path d : dirs) {
            if (!(ok && d.equals(firstDir))) FileTrees.delete(d);
        }
        if (!ok) return false;
        if (bestDir != null && bestDir.startsWith(work)) FileTrees.delete(bestDir);
        Step step = new Step(what, from, to, bestOutcome.ops(), first.ops(), clock.getAsLong() - start);
        steps.add(step);
        best = first.resolved();
        bestOutcome = first;
        bestDir = firstDir;
        listener.accepted(step);
        return true;
    }
}
