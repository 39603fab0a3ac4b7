package lossmeter.harness.explore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import lossmeter.harness.node.FileTrees;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.Json;
import lossmeter.reports.Reports;
import lossmeter.workloads.check.AnomalyKind;

/**
 * {@code lossmeter explore}: draws scenarios from a seed and runs them until one fails or the
 * budget is spent. A failure is shrunk ({@link Shrinker}), the shrunk scenario's replay rate is
 * measured, and the results dir gets {@code original/} and {@code shrunk/} (each a results dir
 * with its {@code scenario.json} and report; the shrunk one with {@code reproducer.json}). Passing
 * scenarios leave one line each in {@code scenarios.jsonl}; {@code explore.json} sums up the run.
 */
public final class Explorer {
    /** What explore is asked to do, beyond the scenarios' draw. */
    public record Options(Duration budget, Duration shrinkBudget, int k, int n, int replays, Path out, long seed) {
    }

    public static final String ORIGINAL = "original";
    public static final String SHRUNK = "shrunk";
    public static final String SUMMARY = "explore.json";
    /** A failure seen once that did not fail again in k of n runs: {@code unreproduced-<scenario>}. */
    public static final String UNREPRODUCED = "unreproduced";
    public static final String LOG = "scenarios.jsonl";
    public static final String REPRODUCER = lossmeter.reports.model.ResultsFiles.REPRODUCER;
    /** A story this short (ops and crash lines) is printed whole in the terminal. */
    static final int PRINT_LINES = 80;
    /** Consecutive scenarios the harness could not run before explore gives up (exit 3). */
    static final int MAX_INDETERMINATE = 3;

    private final ScenarioDraw draw;
    private final ScenarioRunner runner;
    private final Options options;
    private final LongSupplier clock;
    private final PrintWriter out;
    private final Map<String, Integer> covered = new TreeMap<>();
    private int scenarios;
    private long crashes;
    private int indeterminate;
    private final List<String> unreproduced = new ArrayList<>();

    public Explorer(ScenarioDraw draw, ScenarioRunner runner, Options options, LongSupplier clock, PrintWriter out) {
        this.draw = draw;
        this.runner = runner;
        this.options = options;
        this.clock = clock;
        this.out = out;
    }

    public ExitCode run() throws IOException {
        Path dir = options.out();
        Files.createDirectories(dir);
        long start = clock.getAsLong();
        long budget = options.budget().toNanos();
        out.printf("lossmeter explore: seed %d, budget %s, shrink budget %s, a candidate fails in %d of %d runs; results in %s%n",
                options.seed(), fmt(budget), fmt(options.shrinkBudget().toNanos()), options.k(), options.n(), dir);
        out.flush();
        Path runs = dir.resolve("runs");
        int consecutive = 0;
        while (clock.getAsLong() - start < budget) {
            Scenario s = draw.next();
            scenarios++;
            Path sdir = runs.resolve(String.format("%05d", scenarios));
            long t0 = clock.getAsLong();
            ScenarioRunner.Outcome o = runner.run(s, sdir);
            log(dir, scenarios, o, clock.getAsLong() - t0);
            if (o.indeterminate()) {
                indeterminate++;
                consecutive++;
                out.printf("[%d scenarios, %d crashes checked, %s / %s] INDETERMINATE %s: %s%n", scenarios, crashes, fmt(clock.getAsLong() - start),
                        fmt(budget), s.describe(), o.error());
                out.flush();
                if (consecutive >= MAX_INDETERMINATE || scenarios == 1) {
                    FileTrees.delete(runs);
                    summary(dir, start, null, null, "the harness could not run " + consecutive + " scenario(s) in a row: " + o.error());
                    out.println("lossmeter: INDETERMINATE: the harness failed, so this run proves nothing about the target; the last "
                            + "scenario's files are in " + sdir);
                    return ExitCode.INFRA;
                }
                continue;
            }
            consecutive = 0;
            crashes += s.cycles().size();
            covered.merge(s.policy().confName() + " × " + s.fault(), 1, Integer::sum);
            out.printf("[%d scenarios, %d crashes checked, %s / %s] %s %s%n", scenarios, crashes, fmt(clock.getAsLong() - start), fmt(budget),
                    o.fails() ? "FAIL " + o.failures() : "pass", s.describe());
            out.flush();
            if (o.fails()) {
                if (reproduces(o, dir.resolve("check"))) {
                    ExitCode code = found(dir, sdir, o, start);
                    FileTrees.delete(runs);
                    return code;
                }
                // A failure seen once that does not come back in k of n runs cannot be shrunk; it is kept, and the search goes on.
                Path kept = dir.resolve(UNREPRODUCED + "-" + scenarios);
                relocate(sdir, kept);
                unreproduced.add(kept.getFileName().toString());
                writeReport(kept);
                out.printf("  it did not fail with %s again in %d of %d runs, so it cannot be shrunk; kept in %s; exploring on%n",
                        primaryKind(o.failures()), options.k(), options.n(), kept);
                out.flush();
                continue;
            }
            FileTrees.delete(sdir);
        }
        FileTrees.delete(runs);
        if (!unreproduced.isEmpty()) {
            out.printf("%nno failure that replays in %s: %d scenarios, %d crashes checked; %d failure(s) seen once, kept in %s%n",
                    fmt(clock.getAsLong() - start), scenarios, crashes, unreproduced.size(), String.join(", ", unreproduced));
            summary(dir, start, "UNREPRODUCED", null, null);
            out.flush();
            return ExitCode.FINDING;
        }
        out.printf("%nno failure in %s: %d scenarios, %d crashes checked%n", fmt(clock.getAsLong() - start), scenarios, crashes);
        for (var e : covered.entrySet()) out.printf("  %-28s %d scenario%s%n", e.getKey(), e.getValue(), e.getValue() == 1 ? "" : "s");
        if (indeterminate > 0) out.printf("  (%d scenario%s INDETERMINATE: the harness failed; see %s)%n", indeterminate, indeterminate == 1 ? "" : "s", LOG);
        summary(dir, start, null, null, null);
        out.flush();
        return ExitCode.PASS;
    }

    /** The kind a shrink keeps: the first of the failure's kinds in the checker's order, UNAVAILABLE last. */
    static String primaryKind(java.util.Set<String> failures) {
        for (AnomalyKind k : AnomalyKind.values()) if (failures.contains(k.name())) return k.name();
        return failures.iterator().next();
    }

    /** Whether the failing scenario fails with the same kind again in k of n runs (the first run counts as one). */
    private boolean reproduces(ScenarioRunner.Outcome failed, Path work) throws IOException {
        String kind = primaryKind(failed.failures());
        int fails = 1;
        int passes = 0;
        int i = 0;
        while (fails < options.k() && passes <= options.n() - options.k() && fails + passes < options.n()) {
            ScenarioRunner.Outcome o = runner.run(failed.resolved(), work.resolve(Integer.toString(++i)));
            if (o.failsWith(kind)) fails++;
            else passes++;
        }
        FileTrees.delete(work);
        return fails >= options.k();
    }

    private ExitCode found(Path dir, Path failedDir, ScenarioRunner.Outcome failed, long start) throws IOException {
        long foundAt = clock.getAsLong() - start;
        String kind = primaryKind(failed.failures());
        Path original = dir.resolve(ORIGINAL);
        relocate(failedDir, original);
        Scenario resolved = failed.resolved();
        out.printf("%nFAIL after %s: %s in scenario %d (%d ops): %s%nshrinking (keeps %s; budget %s)…%n", fmt(foundAt), kind, scenarios,
                failed.ops(), resolved.describe(), kind, fmt(options.shrinkBudget().toNanos()));
        out.flush();
        Path work = dir.resolve("shrink");
        long shrinkStart = clock.getAsLong();
        Shrinker shrinker = new Shrinker(runner, kind, options.k(), options.n(), options.shrinkBudget().toNanos(), clock, work,
                step -> {
                    out.printf("  %-28s %s → %s   (ops %d → %d, %s)%n", step.what(), step.from(), step.to(), step.opsBefore(), step.opsAfter(),
                            fmt(step.atNanos()));
                    out.flush();
                });
        Shrinker.Result r = shrinker.shrink(resolved, failed, original);
        long shrinkNanos = clock.getAsLong() - shrinkStart;
        Path shrunk = dir.resolve(SHRUNK);
        if (r.dir().equals(original)) {
            // Nothing smaller failed: the shrunk scenario is the original.
            FileTrees.copy(original, shrunk);
            rewritePaths(shrunk, original, shrunk);
        } else {
            relocate(r.dir(), shrunk);
        }
        FileTrees.delete(work);
        out.printf("shrunk in %s (%d runs%s): %s%nmeasuring the replay rate (%d runs)…%n", fmt(shrinkNanos), r.runs(),
                r.budgetSpent() ? ", budget spent" : "", r.scenario().describe(), options.replays());
        out.flush();
        int replayFails = 0;
        Path replays = dir.resolve("replays");
        for (int i = 1; i <= options.replays(); i++) {
            ScenarioRunner.Outcome o = runner.run(r.scenario(), replays.resolve(Integer.toString(i)));
            if (o.failsWith(kind)) replayFails++;
        }
        FileTrees.delete(replays);
        String replay = runner instanceof TrialScenarios t ? t.replayCommand(shrunk.resolve(Scenario.FILE).toAbsolutePath())
                : "./lossmeter replay " + shrunk.resolve(Scenario.FILE);
        Map<String, Object> repro = reproducer(kind, failed, r, foundAt, shrinkNanos, replayFails, replay);
        Json.PRETTY.writeValue(shrunk.resolve(REPRODUCER).toFile(), repro);
        writeReport(original);
        writeReport(shrunk);
        summary(dir, start, kind, repro, null);
        printReproducer(shrunk, r, replayFails, replay);
        return ExitCode.FINDING;
    }

    private Map<String, Object> reproducer(String kind, ScenarioRunner.Outcome failed, Shrinker.Result r, long foundAt, long shrinkNanos,
                                           int replayFails, String replay) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("replay", replay);
        m.put("replayRuns", options.replays());
        m.put("replayFailures", replayFails);
        m.put("foundAfterMs", foundAt / 1_000_000);
        m.put("scenariosRun", scenarios);
        m.put("shrinkMs", shrinkNanos / 1_000_000);
        m.put("shrinkRuns", r.runs());
        m.put("shrinkBudgetSpent", r.budgetSpent());
        m.put("failsWhen", options.k() + " of " + options.n() + " runs");
        m.put("original", Map.of("scenario", failed.resolved().describe(), "ops", failed.ops(), "keys", failed.keys(),
                "cycles", failed.resolved().cycles().size(), "clients", failed.resolved().clients()));
        m.put("shrunk", Map.of("scenario", r.scenario().describe(), "ops", r.failing().ops(), "keys", r.failing().keys(),
                "cycles", r.scenario().cycles().size(), "clients", r.scenario().clients()));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Shrinker.Step s : r.steps()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("what", s.what());
            sm.put("from", s.from());
            sm.put("to", s.to());
            sm.put("opsBefore", s.opsBefore());
            sm.put("opsAfter", s.opsAfter());
            sm.put("atMs", s.atNanos() / 1_000_000);
            steps.add(sm);
        }
        m.put("steps", steps);
        m.put("history", r.failing().story());
        return m;
    }

    private void writeReport(Path dir) {
        try {
            Reports.write(dir);
        } catch (IOException | RuntimeException e) {
            out.println("lossmeter: cannot write the report in " + dir + ": " + e.getMessage());
        }
    }

    private void printReproducer(Path shrunk, Shrinker.Result r, int replayFails, String replay) {
        out.printf("%nminimal reproducer: %s%n  %d ops, %d key%s; replay failed %d of %d times%n", r.scenario().describe(), r.failing().ops(),
                r.failing().keys(), r.failing().keys() == 1 ? "" : "s", replayFails, options.replays());
        if (!r.failing().story().isEmpty() && r.failing().story().size() <= PRINT_LINES) {
            for (String line : r.failing().story()) out.println("  " + line);
        }
        out.println("report:  " + shrunk.resolve(Reports.HTML));
        out.println("original: " + shrunk.resolveSibling(ORIGINAL).resolve(Reports.HTML));
        out.println("replay:  " + replay);
        out.flush();
    }

    /** Moves a scenario's results dir; the replay commands in its results.json then name the new place. */
    static void relocate(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        rewritePaths(to, from, to);
    }

    private static void rewritePaths(Path dir, Path from, Path to) throws IOException {
        Path results = dir.resolve(lossmeter.reports.model.ResultsFiles.RESULTS);
        if (!Files.exists(results)) return;
        String text = Files.readString(results);
        Files.writeString(results, text.replace(from.toAbsolutePath().toString(), to.toAbsolutePath().toString()));
    }

    private void log(Path dir, int index, ScenarioRunner.Outcome o, long nanos) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", index);
        m.put("outcome", o.indeterminate() ? "INDETERMINATE" : o.fails() ? "FAIL" : "PASS");
        m.put("failures", o.failures());
        m.put("error", o.error());
        m.put("ops", o.ops());
        m.put("ms", nanos / 1_000_000);
        m.put("definition", o.resolved().toJson());
        Files.writeString(dir.resolve(LOG), Json.COMPACT.writeValueAsString(m) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void summary(Path dir, long start, String kind, Map<String, Object> reproducer, String error) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", options.seed());
        m.put("verdict", error != null ? "INDETERMINATE" : kind != null || !unreproduced.isEmpty() ? "FAIL" : "PASS");
        m.put("unreproduced", unreproduced);
        m.put("error", error);
        m.put("budgetMs", options.budget().toMillis());
        m.put("elapsedMs", (clock.getAsLong() - start) / 1_000_000);
        m.put("scenarios", scenarios);
        m.put("crashes", crashes);
        m.put("indeterminate", indeterminate);
        m.put("covered", covered);
        m.put("reproducer", reproducer);
        Json.PRETTY.writeValue(dir.resolve(SUMMARY).toFile(), m);
    }

    static String fmt(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
