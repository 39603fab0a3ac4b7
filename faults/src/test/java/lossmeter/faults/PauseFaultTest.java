package lossmeter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

class PauseFaultTest {
    @TempDir
    Path dir;

    @Test
    void stopsAndResumesTheTargetWithoutEndingIt() {
        FakeTrial trial = new FakeTrial(dir, 7, Duration.ofMillis(10));
        Fault pause = Faults.pause().create();
        pause.inject(trial);
        assertThat(trial.target.calls).containsExactly("pause", "resume");
        assertThat(pause.endsTarget()).isFalse();
        assertThat(pause.faultClass()).isEqualTo(FaultClass.LIVENESS);
        for (Policy p : Policy.values()) assertThat(pause.bound(p, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.NONE);
        assertThat(trial.notes).first().asString().startsWith("SIGSTOP");
    }

    @Test
    void thePeriodIsOneToThreeOpTimeouts() {
        assertThat(PauseFault.period(Duration.ofSeconds(1), 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PauseFault.period(Duration.ofSeconds(1), 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PauseFault.period(Duration.ofSeconds(1), 0.999999)).isLessThan(Duration.ofSeconds(3));
    }
}
