package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import lossmeter.faults.target.Policy;
import lossmeter.reports.Reports;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;
import lossmeter.workloads.check.Verdict;

/** An ambiguous crash's loss range lands in verdict.json, results.json (valid against the schema) and the summary table. */
class LossRangeFilesTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    /** A power loss under no: 294 ms lost by the least-loss explanation, 2980 ms by the most. */
    private static TrialResult ambiguousTrial(TrialId id) {
        CrashVerdict cv = new CrashVerdict(1, id.fault(), 3_000 * MS, Verdict.LOSS_WITHIN_POLICY, List.of(), 100, 7, 294 * MS, -1, null,
                FaultClass.CRASH, List.of(), 100, 2_980 * MS, true);
        Crash c = Crash.recovered(1, id.fault(), 3_000 * MS, Map.of(), DurabilityBound.UNBOUNDED);
        return new TrialResult(id, 5, Verdict.LOSS_WITHIN_POLICY, new CheckResult(List.of(cv), List.of()), List.of(c), List.of(MS),
                300, 100, "bundled", null, false);
    }

    private static TrialResult plainTrial(TrialId id) {
        CrashVerdict cv = new CrashVerdict(1, id.fault(), 3_000 * MS, Verdict.LOSS_WITHIN_POLICY, List.of(), 100, 3, 50 * MS, 2_900 * MS, null);
        Crash c = Crash.recovered(1, id.fault(), 3_000 * MS, Map.of(), DurabilityBound.UNBOUNDED);
        return new TrialResult(id, 6, Verdict.LOSS_WITHIN_POLICY, new CheckResult(List.of(cv), List.of()), List.of(c), List.of(MS),
                300, 100, "bundled", null, false);
    }

    private static CampaignResult campaign() {
        TrialSpec t = TrialFilesTest.spec(Path.of("x"));
        CampaignSpec spec = new CampaignSpec(t.target(), List.of(Policy.NO, Policy.EVERYSEC), List.of(lossmeter.faults.Faults.byName("power-loss")), 1, t.settings(), 42,
                Path.of("out"), LossGate.defaults(java.time.Duration.ofSeconds(2)), null);
        List<TrialResult> trials = List.of(ambiguousTrial(new TrialId(Policy.NO, "power-loss", 1)),
                plainTrial(new TrialId(Policy.EVERYSEC, "power-loss", 1)));
        return CampaignResult.of(spec, trials, null, Instant.parse("2026-01-01T00:00:00Z"), 1234);
    }

    @Test
    void verdictJsonCarriesBothEndsOfTheRange() throws IOException {
        Path file = dir.resolve("verdict.json");
        TrialFiles.writeVerdict(file, TrialFilesTest.spec(dir), ambiguousTrial(new TrialId(Policy.NO, "power-loss", 1)));
        JsonNode root = Json.PRETTY.readTree(file.toFile());
        JsonNode crash = root.get("crashes").get(0);
        assertThat(crash.get("lossWindowMs").asLong()).isEqualTo(294);
        assertThat(crash.get("lossWindowUpperMs").asLong()).isEqualTo(2980);
        assertThat(crash.get("lostAcked").asLong()).isEqualTo(7);
        assertThat(crash.get("lostAckedUpper").asLong()).isEqualTo(100);
        assertThat(crash.get("ambiguous").asBoolean()).isTrue();
        assertThat(root.get("metrics").get("maxLossWindowMs").asLong()).isEqualTo(294);
        assertThat(root.get("metrics").get("maxLossWindowUpperMs").asLong()).isEqualTo(2980);
    }

    @Test
    void anUnambiguousVerdictHasTheUpperEqualToTheLoss() throws IOException {
        Path file = dir.resolve("verdict.json");
        TrialFiles.writeVerdict(file, TrialFilesTest.spec(dir), plainTrial(new TrialId(Policy.EVERYSEC, "power-loss", 1)));
        JsonNode crash = Json.PRETTY.readTree(file.toFile()).get("crashes").get(0);
        assertThat(crash.get("lossWindowUpperMs").asLong()).isEqualTo(50);
        assertThat(crash.get("lostAckedUpper").asLong()).isEqualTo(3);
        assertThat(crash.get("ambiguous").asBoolean()).isFalse();
    }

    @Test
    void resultsJsonCellsCarryTheUpperAndMatchTheSchema() throws IOException {
        Path file = dir.resolve(ResultsJson.FILE);
        ResultsJson.write(file, campaign(), "lossmeter run");
        JsonNode cells = Json.PRETTY.readTree(file.toFile()).get("cells");
        assertThat(cells.get(0).get("policy").asText()).isEqualTo("no");
        assertThat(cells.get(0).get("maxLossWindowMs").asLong()).isEqualTo(294);
        assertThat(cells.get(0).get("maxLossWindowUpperMs").asLong()).isEqualTo(2980);
        assertThat(cells.get(1).get("maxLossWindowUpperMs").asLong()).isEqualTo(50);
        try (InputStream schema = Reports.class.getResourceAsStream(Reports.SCHEMA_RESOURCE)) {
            assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema)
                    .validate(Files.readString(file), InputFormat.JSON)).isEmpty();
        }
    }

    @Test
    void theSummaryTableShowsTheUpperOnlyWhereItDiffers() {
        String table = SummaryTable.render(campaign());
        assertThat(table).contains("294ms (≤ 2980ms)").contains("50ms").doesNotContain("50ms (≤");
    }
}
