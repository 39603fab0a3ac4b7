package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.AnomalyKind;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.Verdict;

/** Shards of a campaign, merged, say exactly what the whole campaign says; shards that do not make one campaign are refused. */
class MergeTest {
    @TempDir
    Path dir;

    private static CampaignSpec spec(Path out) {
        TrialSpec t = TrialFilesTest.spec(Path.of("x"));
        return new CampaignSpec(t.target(), List.of(Policy.ALWAYS, Policy.EVERYSEC, Policy.NO), List.of(Faults.byName("kill"),
                Faults.byName("power-loss")), 3, t.settings(), 42, out, LossGate.defaults(Duration.ofMillis(30)), null);
    }

    /** A made-up result for each trial, different per trial, so a merge that drops or double-counts one shows. */
    private static TrialResult result(TrialId id) {
        long k = Seeds.trialSeed(42, id) & 0xff;
        Verdict v = k % 7 == 0 ? Verdict.VIOLATION : k % 5 == 0 ? Verdict.LOSS_WITHIN_POLICY : Verdict.OK;
        long lost = v == Verdict.OK ? 0 : k % 4 + 1;
        long window = (k + 1) * 100_000L;
        List<Anomaly> anomalies = v == Verdict.VIOLATION ? List.of(new Anomaly(AnomalyKind.LOST_ACKED, "c1", "gone", List.of(), 5L, 4L)) : List.of();
        CrashVerdict cv = new CrashVerdict(1, id.fault(), 1_000_000_000L, v, anomalies, 100 + k, lost, window, 900_000_000L, null);
        Crash c = Crash.recovered(1, id.fault(), 1_000_000_000L, Map.of(), DurabilityBound.NONE);
        return new TrialResult(id, Seeds.trialSeed(42, id), v, new CheckResult(List.of(cv), List.of()), List.of(c), List.of(1_000_000L),
                300 + k, 120 + k, "redis 7.0.15", null, false);
    }

    private Path write(CampaignSpec spec, String name) throws IOException {
        Path out = dir.resolve(name);
        List<TrialResult> trials = new ArrayList<>();
        for (TrialId id : spec.trialIds()) {
            trials.add(result(id));
            Files.createDirectories(out.resolve("trials").resolve(id.toString()));
        }
        ResultsJson.write(out.resolve(ResultsJson.FILE), CampaignResult.of(spec, trials, null, Instant.parse("2025-01-01T00:00:00Z"), 1000),
                "lossmeter run");
        return out;
    }

    private static ObjectNode content(Path dir) throws IOException {
        ObjectNode n = (ObjectNode) Json.PRETTY.readTree(dir.resolve(ResultsJson.FILE).toFile());
        for (String where : List.of("command", "startedAt", "durationMs", "machine", "shard")) n.remove(where);
        return n;
    }

    @Test
    void shardsAreDisjointCompleteAndStable() {
        CampaignSpec whole = spec(Path.of("o"));
        Set<TrialId> all = new HashSet<>();
        int n = 4;
        for (int i = 1; i <= n; i++) {
            List<TrialId> slice = whole.slice(new Shard(i, n)).trialIds();
            assertThat(slice).hasSizeBetween(4, 5).isEqualTo(whole.slice(new Shard(i, n)).trialIds());
            for (TrialId id : slice) assertThat(all.add(id)).as("%s in two shards", id).isTrue();
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(whole.trialIds());
        assertThat(Shard.parse("2/4")).isEqualTo(new Shard(2, 4));
        assertThatThrownBy(() -> Shard.parse("5/4")).hasMessageContaining("from 1 to 4");
        assertThatThrownBy(() -> Shard.parse("x")).hasMessageContaining("I/N");
    }

    @Test
    void mergedShardsSayWhatTheWholeCampaignSays() throws IOException {
        Path whole = write(spec(dir.resolve("whole")), "whole");
        List<Path> shards = new ArrayList<>();
        for (int i = 1; i <= 3; i++) shards.add(write(spec(Path.of("s")).slice(new Shard(i, 3)), "shard-" + i));
        Path merged = dir.resolve("merged");
        StringWriter out = new StringWriter();
        ExitCode code = Merge.merge(merged, List.of(shards.get(2), shards.get(0), shards.get(1)), "lossmeter merge", new PrintWriter(out));
        JsonNode expected = content(whole);
        assertThat(content(merged)).isEqualTo(expected);
        assertThat(code).isEqualTo(expected.get("verdict").asText().equals("PASS") ? ExitCode.PASS : ExitCode.FINDING);
        assertThat(merged.resolve("report.html")).isNotEmptyFile();
        assertThat(merged.resolve("junit.xml")).isNotEmptyFile();
        assertThat(merged.resolve("trials/everysec-power-loss-3")).isDirectory();
    }

    @Test
    void refusesShardsThatDoNotMakeOneCampaign() throws IOException {
        Path a = write(spec(Path.of("s")).slice(new Shard(1, 2)), "a");
        Path b = write(spec(Path.of("s")).slice(new Shard(2, 2)), "b");
        Path whole = write(spec(Path.of("s")), "w");
        TrialSpec t = TrialFilesTest.spec(Path.of("x"));
        Path other = write(new CampaignSpec(t.target(), List.of(Policy.ALWAYS), List.of(Faults.byName("kill")), 3, t.settings(), 43,
                Path.of("s"), LossGate.defaults(Duration.ofMillis(30)), null).slice(new Shard(2, 2)), "other");
        PrintWriter out = new PrintWriter(new StringWriter());
        assertThatThrownBy(() -> Merge.merge(dir.resolve("m1"), List.of(a), "m", out)).hasMessageContaining("missing");
        assertThatThrownBy(() -> Merge.merge(dir.resolve("m2"), List.of(a, a), "m", out)).hasMessageContaining("twice");
        assertThatThrownBy(() -> Merge.merge(dir.resolve("m3"), List.of(a, other), "m", out)).hasMessageContaining("another campaign");
        assertThatThrownBy(() -> Merge.merge(dir.resolve("m4"), List.of(a, whole), "m", out)).hasMessageContaining("not a shard");
        assertThatThrownBy(() -> Merge.merge(dir.resolve("m5"), List.of(a, dir.resolve("nope")), "m", out)).hasMessageContaining("no results.json");
        assertThat(Merge.merge(dir.resolve("m6"), List.of(b, a), "m", out)).isNotNull();
        assertThatThrownBy(() -> Merge.merge(dir.resolve("m6"), List.of(b, a), "m", out)).hasMessageContaining("already holds");
    }
}
