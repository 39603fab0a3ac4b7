package lossmeter.junit;

import static lossmeter.junit.Lossmeter.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.LossGate;
import lossmeter.harness.run.TrialId;
import lossmeter.harness.run.TrialResult;
import lossmeter.harness.run.TrialSettings;
import lossmeter.harness.target.Targets;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.AnomalyKind;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.Verdict;
import lossmeter.workloads.generator.Workloads;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.history.OpType;

/** The assertions' verdicts and what their failure messages carry: the evidence and the command that replays it. */
class CampaignAssertTest {
    private static final Op INVOKE = new Op(7, 1_200_000_000L, OpType.INVOKE, 3, "incr", "c1", 1L, null);
    private static final Op ACK = new Op(8, 1_210_000_000L, OpType.OK, 3, "incr", "c1", 5L, null);

    private static TrialResult trial(Policy p, String fault, int n, Verdict v, long windowMs, Anomaly... anomalies) {
        List<CrashVerdict> verdicts = IntStream.rangeClosed(1, 2)
                .mapToObj(k -> new CrashVerdict(k, fault, k * 1_000_000_000L, k == 1 ? v : Verdict.OK, k == 1 ? List.of(anomalies) : List.of(),
                        100, k == 1 ? anomalies.length : 0, k == 1 ? windowMs * 1_000_000 : 0, 0, null)).toList();
        List<Crash> crashes = IntStream.rangeClosed(1, 2)
                .mapToObj(k -> Crash.recovered(k, fault, k * 1_000_000_000L, Map.of(), DurabilityBound.NONE)).toList();
        return new TrialResult(new TrialId(p, fault, n), 5, v, new CheckResult(verdicts, List.of()), crashes, List.of(1L, 1L), 300,
                120, "v", null, false);
    }

    private static CampaignResult campaign(TrialResult... trials) {
        TrialSettings settings = new TrialSettings(Workloads.mixed(), Duration.ofSeconds(1), 1, 4, Duration.ofSeconds(2),
                Duration.ofSeconds(1), TrialSettings.DEFAULT_READY_TIMEOUT);
        CampaignSpec spec = new CampaignSpec(Targets.bundled("--enable-unsafe-durability-switches yes --unsafe-reply-before-aof-write yes"),
                List.of(Policy.ALWAYS, Policy.EVERYSEC), List.of(Faults.kill(), Faults.powerLoss()), 1, settings, 42,
                Path.of("target", "no-such-results"), LossGate.defaults(Duration.ofSeconds(2)), null);
        return CampaignResult.of(spec, List.of(trials), null, Instant.now(), 1);
    }

    private static Anomaly lost() {
        return new Anomaly(AnomalyKind.LOST_ACKED, "c1", "acknowledged incr of c1 to 5 is gone", List.of(INVOKE, ACK), 5L, 4L);
    }

    @Test
    void aCampaignThatPassedKeptEveryPromise() {
        CampaignResult r = campaign(trial(Policy.ALWAYS, "kill", 1, Verdict.OK, 0), trial(Policy.EVERYSEC, "kill", 1, Verdict.OK, 0));
        assertThat(r).keptEveryPromise().keptPromiseIn(Policy.ALWAYS, "kill").hasNoAnomalyOf(AnomalyKind.LOST_ACKED)
                .hasMaxLossWindowAtMost(Policy.EVERYSEC, Duration.ZERO);
    }

    @Test
    void aBrokenPromiseNamesTheTrialTheAnomalyItsOpsAndTheReproduceCommand() {
        CampaignResult r = campaign(trial(Policy.ALWAYS, "kill", 1, Verdict.VIOLATION, 10, lost()),
                trial(Policy.EVERYSEC, "kill", 1, Verdict.OK, 0));
        assertThatThrownBy(() -> assertThat(r).keptEveryPromise()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("to keep every promise, but it did not")
                .hasMessageContaining("trial always-kill-1: VIOLATION")
                .hasMessageContaining("crash 1 (kill): VIOLATION, lost 1 acknowledged writes, loss window 10ms")
                .hasMessageContaining("LOST_ACKED c1: acknowledged incr of c1 to 5 is gone")
                .hasMessageContaining(INVOKE.toString()).hasMessageContaining(ACK.toString())
                .hasMessageContaining("expected 5, recovered 4")
                .hasMessageContaining("reproduce: ./lossmeter run --target 'bundled:--enable-unsafe-durability-switches yes "
                        + "--unsafe-reply-before-aof-write yes'")
                .hasMessageContaining("--seed 42 --only always-kill-1")
                .hasMessageContaining("seed 42; results " + Path.of("target", "no-such-results", "results.json"))
                .hasMessageNotContaining("everysec-kill-1");
    }

    @Test
    void aCellIsJudgedAlone() {
        CampaignResult r = campaign(trial(Policy.ALWAYS, "kill", 1, Verdict.VIOLATION, 10, lost()),
                trial(Policy.EVERYSEC, "kill", 1, Verdict.OK, 0));
        assertThat(r).keptPromiseIn(Policy.EVERYSEC, Faults.kill());
        assertThatThrownBy(() -> assertThat(r).keptPromiseIn(Policy.ALWAYS, "kill"))
                .hasMessageContaining("Expecting the cell always × kill of").hasMessageContaining("--only always-kill-1");
        assertThatThrownBy(() -> assertThat(r).keptPromiseIn(Policy.NO, "kill")).hasMessageContaining("the cell no × kill")
                .hasMessageContaining("has no trials");
    }

    @Test
    void theLossWindowLimitNamesTheCellAndItsWorstTrial() {
        CampaignResult r = campaign(trial(Policy.EVERYSEC, "power-loss", 1, Verdict.LOSS_WITHIN_POLICY, 1500));
        assertThat(r).hasMaxLossWindowAtMost(Policy.EVERYSEC, Duration.ofSeconds(2)).hasMaxLossWindowAtMost(Policy.ALWAYS, Duration.ZERO);
        assertThatThrownBy(() -> assertThat(r).hasMaxLossWindowAtMost(Policy.EVERYSEC, Duration.ofSeconds(1)))
                .hasMessageContaining("Expecting the max loss window under everysec to be at most 1000ms, but:")
                .hasMessageContaining("everysec × power-loss: 1500ms")
                .hasMessageContaining("worst: everysec-power-loss-1, window 1500ms")
                .hasMessageContaining("--only everysec-power-loss-1");
    }

    @Test
    void anAnomalyKindIsFoundWithItsEvidenceOnly() {
        Anomaly hole = new Anomaly(AnomalyKind.HOLE, "l2", "a later push survived an earlier lost one", List.of(ACK), null, null);
        CampaignResult r = campaign(trial(Policy.ALWAYS, "kill", 1, Verdict.VIOLATION, 10, lost(), hole));
        assertThat(r).hasNoAnomalyOf(AnomalyKind.PHANTOM);
        assertThatThrownBy(() -> assertThat(r).hasNoAnomalyOf(AnomalyKind.HOLE))
                .hasMessageContaining("Expecting no HOLE anomaly, but found 1 in 1 trial:")
                .hasMessageContaining("HOLE l2: a later push survived an earlier lost one")
                .hasMessageNotContaining("LOST_ACKED c1")
                .hasMessageContaining("--only always-kill-1");
    }

    @Test
    void aGateBreachAndAnAbortAreFailuresToo() {
        CampaignResult over = campaign(trial(Policy.ALWAYS, "kill", 1, Verdict.LOSS_WITHIN_POLICY, 30));
        assertThatThrownBy(() -> assertThat(over).keptEveryPromise())
                .hasMessageContaining("gate exceeded: always × kill lost up to 30ms of acknowledged writes (gate always=0ms,everysec=2s)");
        CampaignResult aborted = CampaignResult.of(over.spec(), List.of(), "trial always-kill-1: the target never answered PING",
                Instant.now(), 1);
        assertThatThrownBy(() -> assertThat(aborted).keptEveryPromise())
                .hasMessageContaining("aborted (INDETERMINATE, the harness failed): trial always-kill-1: the target never answered PING");
    }
}
