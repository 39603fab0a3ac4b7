package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.AnomalyKind;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.Verdict;

/** One definition of the exit codes, and a harness failure outranks every finding. */
class ExitCodeTest {
    /** A trial of --crashes 2 whose cycles (the final restart included) were all checked with verdict {@code v}. */
    private static TrialResult trial(int n, Verdict v) {
        List<Anomaly> anomalies = v == Verdict.VIOLATION ? List.of(new Anomaly(AnomalyKind.LOST_ACKED, "c1", "gone", List.of(), 5L, 4L))
                : List.of();
        List<CrashVerdict> verdicts = IntStream.rangeClosed(1, 3)
                .mapToObj(k -> new CrashVerdict(k, "kill", k * 1_000_000_000L, v, anomalies, 100, 0, 0, 0, null)).toList();
        List<Crash> crashes = IntStream.rangeClosed(1, 3)
                .mapToObj(k -> Crash.recovered(k, k == 3 ? "restart" : "kill", k * 1_000_000_000L, Map.of(), DurabilityBound.NONE)).toList();
        return new TrialResult(new TrialId(Policy.EVERYSEC, "kill", n), 5, v, new CheckResult(verdicts, List.of()), crashes,
                List.of(1L, 1L, 1L), 300, 120, "v", null, false);
    }

    private static TrialResult indeterminate(int n) {
        return new TrialResult(new TrialId(Policy.EVERYSEC, "kill", n), 5, Verdict.INDETERMINATE, null, List.of(), List.of(), 0, 0,
                null, "the target never answered PING", true);
    }

    private static CampaignResult campaign(String aborted, TrialResult... trials) {
        CampaignSpec spec = new CampaignSpec(TrialFilesTest.spec(Path.of("x")).target(), List.of(Policy.EVERYSEC), List.of(lossmeter.faults.Faults.byName("kill")), trials.length,
                TrialFilesTest.spec(Path.of("x")).settings(), 42, Path.of("out"), LossGate.defaults(Duration.ofSeconds(2)), null);
        return CampaignResult.of(spec, List.of(trials), aborted, Instant.now(), 1);
    }

    @Test
    void codesAreTheDocumentedOnes() {
        assertThat(List.of(ExitCode.values())).extracting(ExitCode::code).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aHarnessFailureOutranksAFinding() {
        assertThat(ExitCode.FINDING.and(ExitCode.INFRA)).isEqualTo(ExitCode.INFRA);
        assertThat(ExitCode.INFRA.and(ExitCode.FINDING)).isEqualTo(ExitCode.INFRA);
        assertThat(ExitCode.PASS.and(ExitCode.FINDING)).isEqualTo(ExitCode.FINDING);
        assertThat(ExitCode.PASS.and(ExitCode.PASS)).isEqualTo(ExitCode.PASS);

        assertThat(campaign(null, trial(1, Verdict.OK)).exitCode()).isZero();
        assertThat(campaign(null, trial(1, Verdict.OK), trial(2, Verdict.VIOLATION)).exitCode()).isEqualTo(1);
        // A violation in one trial and a harness failure in the next: the campaign proves nothing, so 3.
        CampaignResult both = campaign("trial everysec-kill-2: the target never answered PING", trial(1, Verdict.VIOLATION),
                indeterminate(2));
        assertThat(both.exitCode()).isEqualTo(3);
        assertThat(both.outcome()).isEqualTo(ExitCode.INFRA);
        assertThat(campaign(null, trial(1, Verdict.VIOLATION), indeterminate(2)).exitCode()).as("not aborted, still 3").isEqualTo(3);
    }

    @Test
    void theSummaryNamesTheFinalRestartAndAnIndeterminateCampaign() {
        String table = SummaryTable.render(campaign(null, trial(1, Verdict.OK), trial(2, Verdict.OK)));
        // --crashes 2, two trials: 4 fault cycles and 2 final graceful restarts.
        assertThat(table).contains("4 + 2 final").endsWith("PASS (seed 42)\n");
        assertThat(SummaryTable.render(campaign(null, trial(1, Verdict.VIOLATION)))).endsWith("FAIL (seed 42)\n");
        assertThat(SummaryTable.render(campaign("x", trial(1, Verdict.VIOLATION), indeterminate(2))))
                .contains("2 + 1 final").endsWith("INDETERMINATE (seed 42)\n");
    }
}
