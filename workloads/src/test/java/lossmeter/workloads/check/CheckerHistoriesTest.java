package lossmeter.workloads.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the checker on every hand-written history in src/test/resources/histories and compares
 * what it says with the file's {@code expect}. A file with {@code expectBug} documents a known
 * checker bug: it is reported as skipped (aborted) while the checker still gets it wrong, and
 * fails once the checker gets it right, so the marker is removed together with the fix.
 * {@code -Dlossmeter.histories.verbose=true} prints what the checker said about every file.
 */
class CheckerHistoriesTest {

    static Stream<HistoryCase> cases() throws IOException, URISyntaxException {
        URL dir = CheckerHistoriesTest.class.getClassLoader().getResource("histories");
        if (dir == null) throw new IllegalStateException("no histories directory on the test classpath");
        List<HistoryCase> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) out.add(HistoryCase.load(p));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkerSaysWhatTheFileExpects(HistoryCase c) {
        CheckResult r = Checker.check(c.history(), c.crashes());
        List<String> problems = compare(c, r);
        if (Boolean.getBoolean("lossmeter.histories.verbose")) System.out.println("== " + c.name() + "\n" + describe(r));
        if (c.expectBug() != null) {
            if (!problems.isEmpty()) {
                Assumptions.abort("known checker bug (" + c.name() + "): " + c.expectBug() + "\n  differences: " + problems
                        + "\n" + describe(r));
            }
            throw new AssertionError(c.name() + " is marked expectBug but the checker now says what the file expects: "
                    + "remove expectBug from the file\n" + describe(r));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(c.name() + " — " + c.description() + "\n  differences: " + String.join("\n    ", problems)
                    + "\n" + describe(r));
        }
    }

    /** Every anomaly kind has a case that must produce it and a valid look-alike that must not. */
    @Test
    void everyAnomalyKindHasAnInvalidCaseAndAValidLookalike() throws Exception {
        Set<AnomalyKind> produced = EnumSet.noneOf(AnomalyKind.class);
        Set<AnomalyKind> lookalikes = EnumSet.noneOf(AnomalyKind.class);
        for (HistoryCase c : cases().toList()) {
            if (c.expectBug() != null) continue;
            produced.addAll(c.expect().anomalies().keySet());
            if (c.lookalikeOf() != null) {
                assertThat(c.expect().anomalies()).as(c.name() + " is a look-alike of " + c.lookalikeOf() + " and must not produce it")
                        .doesNotContainKey(AnomalyKind.valueOf(c.lookalikeOf()));
                lookalikes.add(AnomalyKind.valueOf(c.lookalikeOf()));
            }
        }
        assertThat(produced).as("kinds some passing case must produce").containsExactlyInAnyOrder(AnomalyKind.values());
        assertThat(lookalikes).as("kinds with a valid look-alike").containsExactlyInAnyOrder(AnomalyKind.values());
    }

    static List<String> compare(HistoryCase c, CheckResult r) {
        HistoryCase.Expect e = c.expect();
        List<String> p = new ArrayList<>();
        List<CrashVerdict> vs = r.crashes();
        if (e.verdicts() != null) {
            List<Verdict> got = vs.stream().map(CrashVerdict::verdict).toList();
            if (!got.equals(e.verdicts())) p.add("verdicts: expected " + e.verdicts() + ", got " + got);
        }
        Map<AnomalyKind, Integer> all = new EnumMap<>(AnomalyKind.class);
        for (CrashVerdict v : vs) for (Anomaly a : v.anomalies()) all.merge(a.kind(), 1, Integer::sum);
        for (Anomaly a : r.liveReadAnomalies()) all.merge(a.kind(), 1, Integer::sum);
        kinds("anomalies (all crashes and live reads)", e.anomalies(), all, p);
        if (e.crashAnomalies() != null) {
            if (e.crashAnomalies().size() != vs.size()) p.add("crashAnomalies: expected " + e.crashAnomalies().size() + " crashes, got " + vs.size());
            for (int i = 0; i < Math.min(vs.size(), e.crashAnomalies().size()); i++) {
                Map<AnomalyKind, Integer> got = new EnumMap<>(AnomalyKind.class);
                for (Anomaly a : vs.get(i).anomalies()) got.merge(a.kind(), 1, Integer::sum);
                kinds("anomalies of crash " + (i + 1), e.crashAnomalies().get(i), got, p);
            }
        }
        perCrash("lostAcked", e.lostAcked(), vs.stream().map(CrashVerdict::lostAcked).toList(), 1, p);
        perCrash("ackedWrites", e.ackedWrites(), vs.stream().map(CrashVerdict::ackedWrites).toList(), 1, p);
        perCrash("lossWindowMs", e.lossWindowMs(), vs.stream().map(CrashVerdict::lossWindowNanos).toList(), 1_000_000, p);
        perCrash("durableHorizonMs", e.durableHorizonMs(), vs.stream().map(CrashVerdict::durableHorizonNanos).toList(), 1_000_000, p);
        perCrash("lostAckedUpper", e.lostAckedUpper(), vs.stream().map(CrashVerdict::lostAckedUpper).toList(), 1, p);
        perCrash("lossWindowUpperMs", e.lossWindowUpperMs(), vs.stream().map(CrashVerdict::lossWindowUpperNanos).toList(), 1_000_000, p);
        if (e.ambiguous() != null) {
            List<Boolean> got = vs.stream().map(CrashVerdict::ambiguous).toList();
            if (!got.equals(e.ambiguous())) p.add("ambiguous: expected " + e.ambiguous() + ", got " + got);
        }
        if (e.passes() != null) {
            List<Boolean> got = vs.stream().map(CrashVerdict::passes).toList();
            if (!got.equals(e.passes())) p.add("passes: expected " + e.passes() + ", got " + got);
        }
        if (e.liveReadAnomalies() != null && e.liveReadAnomalies() != r.liveReadAnomalies().size()) {
            p.add("liveReadAnomalies: expected " + e.liveReadAnomalies() + ", got " + r.liveReadAnomalies().size());
        }
        return p;
    }

    private static void kinds(String what, Map<AnomalyKind, Integer> expected, Map<AnomalyKind, Integer> got, List<String> p) {
        if (!got.keySet().equals(expected.keySet())) {
            p.add(what + ": expected kinds " + expected.keySet() + ", got " + new TreeMap<>(got));
            return;
        }
        for (Map.Entry<AnomalyKind, Integer> x : expected.entrySet()) {
            if (x.getValue() != HistoryCase.AT_LEAST_ONE && !x.getValue().equals(got.get(x.getKey()))) {
                p.add(what + ": expected " + x.getValue() + " × " + x.getKey() + ", got " + got.get(x.getKey()));
            }
        }
    }

    private static void perCrash(String what, List<Long> expected, List<Long> got, long scale, List<String> p) {
        if (expected == null) return;
        if (expected.size() != got.size()) {
            p.add(what + ": expected " + expected.size() + " crashes, got " + got.size());
            return;
        }
        for (int i = 0; i < got.size(); i++) {
            Long x = expected.get(i);
            if (x != null && !x.equals(got.get(i))) {
                p.add(what + " of crash " + (i + 1) + ": expected " + scaled(x, scale) + ", got " + scaled(got.get(i), scale));
            }
        }
    }

    private static String scaled(long v, long scale) {
        return scale == 1 || v == -1 ? String.valueOf(v) : (v / (double) scale) + "";
    }

    static String describe(CheckResult r) {
        StringBuilder sb = new StringBuilder("  checker said:\n");
        for (CrashVerdict v : r.crashes()) {
            sb.append("    crash ").append(v.cycle()).append(' ').append(v.fault()).append(" (").append(v.faultClass()).append("): ")
                    .append(v.verdict()).append(v.passes() ? " passes" : " fails")
                    .append(" acked=").append(v.ackedWrites()).append(" lostAcked=").append(v.lostAcked())
                    .append(" window=").append(v.lossWindowNanos() / 1e6).append("ms")
                    .append(v.ambiguous() ? " (upper: lostAcked=" + v.lostAckedUpper() + " window=" + v.lossWindowUpperNanos() / 1e6 + "ms)" : "")
                    .append(" horizon=")
                    .append(v.durableHorizonNanos() < 0 ? "-1" : v.durableHorizonNanos() / 1e6 + "ms")
                    .append(v.note() == null ? "" : " note=" + v.note()).append('\n');
            for (Anomaly a : v.anomalies()) sb.append("      ").append(a.kind()).append(' ').append(a.key()).append(": ").append(a.message()).append('\n');
        }
        for (Anomaly a : r.liveReadAnomalies()) sb.append("    live ").append(a.kind()).append(' ').append(a.key()).append(": ").append(a.message()).append('\n');
        return sb.toString();
    }
}
