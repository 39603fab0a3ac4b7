package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.AnomalyKind;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.Verdict;

class ResultsJsonTest {
    @TempDir
    Path dir;

    private static TrialResult trial(TrialId id, Verdict v, long lost, long windowNanos, List<Anomaly> anomalies) {
        CrashVerdict cv = new CrashVerdict(1, id.fault(), 1_000_000_000L, v, anomalies, 100, lost, windowNanos, 900_000_000L, null);
        Crash c = Crash.recovered(1, id.fault(), 1_000_000_000L, Map.of(), DurabilityBound.NONE);
        return new TrialResult(id, 5, v, new CheckResult(List.of(cv), List.of()), List.of(c), List.of(1_000_000L), 300, 120,
                "redis 7.0.15", null, false);
    }

    private static CampaignResult campaign() {
        Anomaly lost = new Anomaly(AnomalyKind.LOST_ACKED, "c1", "gone", List.of(), 5L, 4L);
        CampaignSpec spec = new CampaignSpec(TrialFilesTest.spec(Path.of("x")).target(), List.of(Policy.ALWAYS, Policy.EVERYSEC),
                List.of(lossmeter.faults.Faults.byName("kill")), 2, TrialFilesTest.spec(Path.of("x")).settings(), 42, Path.of("out"), LossGate.defaults(java.time.Duration.ofSeconds(2)), null);
        List<TrialResult> trials = new ArrayList<>();
        trials.add(trial(new TrialId(Policy.ALWAYS, "kill", 1), Verdict.OK, 0, 0, List.of()));
        trials.add(trial(new TrialId(Policy.ALWAYS, "kill", 2), Verdict.VIOLATION, 3, 40_000_000L, List.of(lost, lost)));
        trials.add(trial(new TrialId(Policy.EVERYSEC, "kill", 1), Verdict.OK, 0, 0, List.of()));
        trials.add(trial(new TrialId(Policy.EVERYSEC, "kill", 2), Verdict.OK, 0, 0, List.of()));
        return CampaignResult.of(spec, trials, null, Instant.parse("2025-01-01T00:00:00Z"), 1234);
    }

    @Test
    void hasExactlyTheDocumentedFieldNames() throws IOException {
        Path file = dir.resolve(ResultsJson.FILE);
        ResultsJson.write(file, campaign(), "lossmeter run");
        JsonNode root = Json.PRETTY.readTree(file.toFile());
        assertThat(fields(root)).startsWith("verdict", "seed", "target", "cells");
        assertThat(root.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(root.get("seed").asLong()).isEqualTo(42);
        assertThat(root.get("target").asText()).isEqualTo("bundled");
        JsonNode cells = root.get("cells");
        assertThat(cells.size()).isEqualTo(2);
        for (JsonNode cell : cells) {
            assertThat(fields(cell)).containsExactly("policy", "fault", "trials", "crashes", "injected", "effective", "noEffect",
                    "ackedWrites", "lostAcked", "maxLossWindowMs", "maxLossWindowUpperMs", "violations", "unavailable", "anomalies");
            assertThat(fields(cell.get("anomalies"))).containsExactly("LOST_ACKED", "HOLE", "PHANTOM", "DUPLICATE", "RESURRECTED",
                    "TORN_TXN", "STALE_READ", "CORRUPT");
        }
        JsonNode always = cells.get(0);
        assertThat(always.get("policy").asText()).isEqualTo("always");
        assertThat(always.get("fault").asText()).isEqualTo("kill");
        assertThat(always.get("trials").asInt()).isEqualTo(2);
        assertThat(always.get("crashes").asInt()).isEqualTo(2);
        assertThat(always.get("ackedWrites").asLong()).isEqualTo(240);
        assertThat(always.get("lostAcked").asLong()).isEqualTo(3);
        assertThat(always.get("maxLossWindowMs").asLong()).isEqualTo(40);
        assertThat(always.get("violations").asInt()).isEqualTo(1);
        assertThat(always.get("unavailable").asInt()).isEqualTo(0);
        assertThat(always.get("anomalies").get("LOST_ACKED").asInt()).isEqualTo(2);
        assertThat(root.get("overGate").get(0).asText()).isEqualTo("always-kill");
        assertThat(root.get("trials").get(1).get("reproduce").asText())
                .contains("--seed 42", "--only always-kill-2").startsWith("./lossmeter run --target bundled");
    }

    @Test
    void passesOnlyWhenEveryTrialPassesAndNoGateIsExceeded() {
        CampaignResult r = campaign();
        assertThat(r.passes()).isFalse();
        assertThat(r.exitCode()).isEqualTo(1);
        CampaignResult ok = CampaignResult.of(r.spec(), r.trials().stream().filter(TrialResult::passes).toList(), null, Instant.now(), 1);
        assertThat(ok.passes()).isTrue();
        assertThat(ok.exitCode()).isZero();
        TrialResult broken = new TrialResult(new TrialId(Policy.NO, "kill", 1), 1, Verdict.INDETERMINATE, null, List.of(), List.of(),
                0, 0, null, "harness failure", false);
        List<TrialResult> withBroken = new ArrayList<>(ok.trials());
        withBroken.add(broken);
        CampaignResult indeterminate = CampaignResult.of(r.spec(), withBroken, null, Instant.now(), 1);
        assertThat(indeterminate.passes()).isFalse();
        assertThat(indeterminate.exitCode()).isEqualTo(3);
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
