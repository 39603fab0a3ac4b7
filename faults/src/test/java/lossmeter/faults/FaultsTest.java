package lossmeter.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

class FaultsTest {
    @Test
    void everyNamedFaultIsBuiltByName() {
        for (String n : Faults.NAMES) assertThat(Faults.byName(n).name()).isEqualTo(n);
        assertThatThrownBy(() -> Faults.byName("meteor")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kill, restart");
    }

    @Test
    void processCrashesAllowNoLossUnderAnyPolicy() {
        for (Fault f : new Fault[]{Faults.kill(), Faults.restart()}) {
            assertThat(f.faultClass()).isEqualTo(FaultClass.CRASH);
            for (Policy p : Policy.values()) assertThat(f.bound(p, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.NONE);
        }
    }
}
