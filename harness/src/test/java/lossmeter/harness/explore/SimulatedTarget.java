package lossmeter.harness.explore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A target simulated in memory for the shrinker's tests: a rule says which anomaly kind (or none)
 * a scenario shows, and with {@code flakiness} > 0 a failing run passes now and then (seeded, so
 * each test is deterministic). Records every scenario it ran; its ops are the scenario's ops.
 */
final class SimulatedTarget implements ScenarioRunner {
    private final Function<Scenario, String> rule;
    private final double flakiness;
    private final SplittableRandom random;
    private final Runnable onRun;
    final java.util.List<Scenario> ran = new java.util.ArrayList<>();

    SimulatedTarget(Function<Scenario, String> rule, double flakiness, long seed, Runnable onRun) {
        this.rule = rule;
        this.flakiness = flakiness;
        this.random = new SplittableRandom(seed);
        this.onRun = onRun;
    }

    SimulatedTarget(Function<Scenario, String> rule) {
        this(rule, 0, 1, () -> { });
    }

    @Override
    public Outcome run(Scenario s, Path dir) throws IOException {
        onRun.run();
        ran.add(s);
        Files.createDirectories(dir);
        s.write(dir.resolve(Scenario.FILE));
        String kind = rule.apply(s);
        boolean fails = kind != null && random.nextDouble() >= flakiness;
        int keys = Math.min(s.keys() * s.opKinds().stream().filter(k -> !k.equals("read") && !k.equals("flush")).toList().size(), (int) s.ops());
        return new Outcome(s, fails ? Set.of(kind) : Set.of(), null, s.ops(), keys, fails ? s.cycles().size() : 0, List.of("story of " + s.ops() + " ops"));
    }
}
