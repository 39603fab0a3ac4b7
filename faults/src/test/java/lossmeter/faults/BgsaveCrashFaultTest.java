package lossmeter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import lossmeter.workloads.check.DurabilityBound;

class BgsaveCrashFaultTest {
    @Test
    void asksForAnRdbOnlyTargetInPrepare() {
        FakeTrial trial = new FakeTrial(Path.of("/nonexistent"), 1, Duration.ofSeconds(1));
        Faults.crashDuringBgsave().prepare(trial);
        assertThat(trial.directives).containsEntry("appendonly", "no").containsEntry("save", BgsaveCrashFault.SAVE_POINT);
    }

    @Test
    void ackedBeforeTheCompletedSaveMustSurviveLaterAcksMayBeLost() {
        long horizon = 5_000_000_000L;
        long crash = 7_000_000_000L;
        DurabilityBound b = BgsaveCrashFault.ackedBefore(horizon, crash);
        assertThat(b.allowsLoss(horizon - 1, crash)).isFalse();
        assertThat(b.allowsLoss(horizon, crash)).isFalse();
        assertThat(b.allowsLoss(horizon + 1, crash)).isTrue();
        assertThat(b.allowsLoss(crash, crash)).isTrue();
    }
}
