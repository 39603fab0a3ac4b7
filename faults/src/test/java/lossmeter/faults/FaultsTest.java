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
    void everyNamedFaultIsBuiltByNameAsAFreshInstance() {
        for (String n : Faults.NAMES) {
            assertThat(Faults.byName(n).name()).isEqualTo(n);
            assertThat(Faults.byName(n)).isNotSameAs(Faults.byName(n));
        }
        assertThat(Faults.catalogue()).allSatisfy(e -> assertThat(e.factory().get().faultClass()).isEqualTo(e.faultClass()));
        assertThatThrownBy(() -> Faults.byName("meteor")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown fault 'meteor'").hasMessageContaining("kill, restart, pause");
    }

    @Test
    void processCrashesAllowNoLossUnderAnyPolicy() {
        for (Fault f : new Fault[]{Faults.kill(), Faults.restart()}) {
            assertThat(f.faultClass()).isEqualTo(FaultClass.CRASH);
            assertThat(f.endsTarget()).isTrue();
            for (Policy p : Policy.values()) assertThat(f.bound(p, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.NONE);
        }
    }

    @Test
    void aCrashDuringARewriteMayLoseWhatTheFsyncPolicyAllows() {
        Fault f = Faults.crashDuringRewrite();
        assertThat(f.faultClass()).isEqualTo(FaultClass.CRASH);
        assertThat(f.bound(Policy.ALWAYS, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.NONE);
        assertThat(f.bound(Policy.EVERYSEC, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.ofMillis(2000));
        assertThat(f.bound(Policy.NO, Duration.ofSeconds(2)).unbounded()).isTrue();
    }

    @Test
    void mediaFaultsExpectLossAndKillFirst() {
        for (Fault f : new Fault[]{Faults.truncate(), Faults.corrupt()}) {
            assertThat(f.faultClass()).isEqualTo(FaultClass.MEDIA);
            for (Policy p : Policy.values()) assertThat(f.bound(p, Duration.ofSeconds(2)).unbounded()).isTrue();
        }
    }
}
