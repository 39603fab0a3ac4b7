package lossmeter.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.generator.OpMix;

/** The shrinker against simulated targets: deterministic, flaky, picky about the anomaly kind, and out of time. */
class ShrinkerTest {
    @TempDir
    Path dir;

    /** A bug that loses an INCR once 37 ops ran before the crash and the crash comes at the 3rd fdatasync or later. */
    static final Function<Scenario, String> LOSES_INCR = s -> s.opKinds().contains("incr") && s.ops() >= 37
            && s.cycles().stream().allMatch(c -> c.point() == null || c.point().n() >= 3) ? "LOST_ACKED" : null;

    static Scenario big() {
        CrashPoint p = CrashPoint.planned(IoOp.Phase.BEFORE, IoOp.FDATASYNC, 17, "appendonly.aof*");
        return new Scenario(42, "bundled", java.util.Map.of(), Policy.ALWAYS, "power-loss", new OpMix(30, 20, 10, 5, 1), 8, 8,
                CrashPoint.Mode.IO, Duration.ofSeconds(2), Duration.ofSeconds(1),
                List.of(new Scenario.Cycle(400, p), new Scenario.Cycle(900, p), new Scenario.Cycle(250, p)));
    }

    private Shrinker.Result shrink(SimulatedTarget target, String kind, int k, int n, long budgetNanos, java.util.function.LongSupplier clock,
                                   List<Shrinker.Step> steps) throws IOException {
        Scenario s = big();
        ScenarioRunner.Outcome first = target.run(s, dir.resolve("original"));
        assertThat(first.fails()).isTrue();
        return new Shrinker(target, kind, k, n, budgetNanos, clock, dir.resolve("work"), steps::add).shrink(s, first, dir.resolve("original"));
    }

    @Test
    void aDeterministicBugShrinksToOneCycleOneClientOneKeyOneOpKindTheFewestOpsAndTheEarliestCrashPoint() throws IOException {
        List<Shrinker.Step> steps = new ArrayList<>();
        Shrinker.Result r = shrink(new SimulatedTarget(LOSES_INCR), "LOST_ACKED", 2, 3, Long.MAX_VALUE, System::nanoTime, steps);
        Scenario m = r.scenario();
        assertThat(m.cycles()).hasSize(1);
        assertThat(m.cycles().getFirst().ops()).isEqualTo(37);
        assertThat(m.cycles().getFirst().point().n()).isEqualTo(3);
        assertThat(m.clients()).isEqualTo(1);
        assertThat(m.keys()).isEqualTo(1);
        assertThat(m.opKinds()).containsExactly("incr");
        assertThat(r.budgetSpent()).isFalse();
        assertThat(r.steps()).isEqualTo(steps);
        assertThat(steps.getFirst().what()).isEqualTo("crash cycles");
        assertThat(steps.stream().map(Shrinker.Step::what).distinct()).containsExactly("crash cycles", "clients", "keys", "op mix",
                "ops before crash 1", "crash point 1 (#n of fdatasync)");
        assertThat(steps.getLast().opsAfter()).isEqualTo(37);
        // Only the accepted candidate's dir is kept; every rejected one is gone.
        assertThat(r.dir()).isDirectory();
        try (var left = Files.list(dir.resolve("work"))) {
            assertThat(left.toList()).containsExactly(r.dir());
        }
    }

    @Test
    void aCandidateThatFailsWithAnotherKindIsNotAccepted() throws IOException {
        // One client turns the loss into a HOLE: the shrinker keeps LOST_ACKED, so it stays at 2 clients.
        Function<Scenario, String> rule = s -> LOSES_INCR.apply(s) == null ? null : s.clients() == 1 ? "HOLE" : "LOST_ACKED";
        Shrinker.Result r = shrink(new SimulatedTarget(rule), "LOST_ACKED", 2, 3, Long.MAX_VALUE, System::nanoTime, new ArrayList<>());
        assertThat(r.scenario().clients()).isEqualTo(2);
        assertThat(r.failing().failures()).containsExactly("LOST_ACKED");
    }

    @Test
    void aFlakyBugStillShrinksAndNoPassingCandidateIsEverAccepted() throws IOException {
        SimulatedTarget flaky = new SimulatedTarget(LOSES_INCR, 0.3, 7, () -> { });
        Shrinker.Result r = shrink(flaky, "LOST_ACKED", 2, 3, Long.MAX_VALUE, System::nanoTime, new ArrayList<>());
        assertThat(LOSES_INCR.apply(r.scenario())).isEqualTo("LOST_ACKED");
        assertThat(r.scenario().cycles()).hasSize(1);
        assertThat(r.scenario().clients()).isEqualTo(1);
        assertThat(r.scenario().ops()).isLessThan(100);
        // k of n: a candidate costs 2 runs when it fails twice in a row, 3 at most.
        assertThat(r.runs()).isGreaterThanOrEqualTo(2 * r.steps().size());
    }

    @Test
    void aBugThatFailsOnlyOnceInThreeIsNotShrunkBy2Of3ButIsBy1Of3() throws IOException {
        ScenarioRunner.Outcome found = new ScenarioRunner.Outcome(big(), java.util.Set.of("LOST_ACKED"), null, big().ops(), 16, 3, List.of());
        Files.createDirectories(dir.resolve("original"));
        Shrinker.Result strict = new Shrinker(new SimulatedTarget(LOSES_INCR, 0.75, 3, () -> { }), "LOST_ACKED", 2, 3, Long.MAX_VALUE,
                System::nanoTime, dir.resolve("w1"), s -> { }).shrink(big(), found, dir.resolve("original"));
        Shrinker.Result lenient = new Shrinker(new SimulatedTarget(LOSES_INCR, 0.75, 3, () -> { }), "LOST_ACKED", 1, 3, Long.MAX_VALUE,
                System::nanoTime, dir.resolve("w2"), s -> { }).shrink(big(), found, dir.resolve("original"));
        assertThat(lenient.steps().size()).isGreaterThan(strict.steps().size());
        assertThat(lenient.scenario().ops()).isLessThan(strict.scenario().ops());
        assertThat(LOSES_INCR.apply(strict.scenario())).isEqualTo("LOST_ACKED");
    }

    @Test
    void theTimeBudgetEndsTheShrinkWithTheSmallestFailingScenarioSoFar() throws IOException {
        AtomicLong now = new AtomicLong();
        SimulatedTarget slow = new SimulatedTarget(LOSES_INCR, 0, 1, () -> now.addAndGet(1_000_000_000L));
        Shrinker.Result r = shrink(slow, "LOST_ACKED", 2, 3, 10_000_000_000L, now::get, new ArrayList<>());
        assertThat(r.budgetSpent()).isTrue();
        assertThat(r.runs()).isLessThanOrEqualTo(11);
        assertThat(LOSES_INCR.apply(r.scenario())).isEqualTo("LOST_ACKED");
        assertThat(r.scenario().cycles()).hasSize(1);
        assertThat(r.steps()).isNotEmpty();
    }

    @Test
    void kOfNIsChecked() {
        assertThatThrownBy(() -> new Shrinker(new SimulatedTarget(LOSES_INCR), "LOST_ACKED", 3, 2, 1, System::nanoTime, dir, s -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k of n");
    }
}
