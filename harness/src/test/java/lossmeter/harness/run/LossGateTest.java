package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import lossmeter.faults.target.Policy;

class LossGateTest {
    @Test
    void parsesPerPolicyLimits() {
        LossGate g = LossGate.parse("always=0ms,everysec=2000ms");
        assertThat(g.limits()).isEqualTo(Map.of(Policy.ALWAYS, Duration.ZERO, Policy.EVERYSEC, Duration.ofSeconds(2)));
        assertThat(g.toString()).isEqualTo("always=0ms,everysec=2s");
        assertThat(LossGate.parse(" no = 30s ").limits()).isEqualTo(Map.of(Policy.NO, Duration.ofSeconds(30)));
    }

    @Test
    void defaultsGateAlwaysAtZeroAndEverysecAtTheWindowAndLeaveNoUngated() {
        LossGate g = LossGate.defaults(Duration.ofMillis(2000));
        assertThat(g.exceeded(Policy.ALWAYS, 0)).isFalse();
        assertThat(g.exceeded(Policy.ALWAYS, 1)).isTrue();
        assertThat(g.exceeded(Policy.EVERYSEC, 2000)).isFalse();
        assertThat(g.exceeded(Policy.EVERYSEC, 2001)).isTrue();
        assertThat(g.exceeded(Policy.NO, 1_000_000)).isFalse();
    }

    @Test
    void refusesBadSpecs() {
        assertThatThrownBy(() -> LossGate.parse("always")).hasMessageContaining("expected policy=duration");
        assertThatThrownBy(() -> LossGate.parse("sometimes=1s")).hasMessageContaining("unknown policy 'sometimes'");
        assertThatThrownBy(() -> LossGate.parse("always=1")).hasMessageContaining("bad duration");
        assertThatThrownBy(() -> LossGate.parse("always=0ms,always=1s")).hasMessageContaining("twice");
        assertThatThrownBy(() -> LossGate.parse(",")).hasMessageContaining("empty gate");
    }
}
