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
            assertThat(Faults.byName(n).create().name()).isEqualTo(n);
            assertThat(Faults.byName(n).create()).isNotSameAs(Faults.byName(n).create());
        }
        assertThat(Faults.catalogue()).allSatisfy(e -> assertThat(e.spec().create().faultClass()).isEqualTo(e.faultClass()));
        assertThatThrownBy(() -> Faults.byName("meteor")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown fault 'meteor'").hasMessageContaining("kill, restart, pause");
    }

    @Test
    void theFaultsWhoseLossIsNotTheFsyncPolicysSaySoThemselves() {
        assertThat(Faults.catalogue().stream().filter(e -> !e.spec().policyGoverned()).map(Faults.Entry::name))
                .containsExactly("truncate", "corrupt", "crash-during-bgsave", "fsync-eio");
        assertThat(Faults.catalogue().stream().filter(e -> e.spec().needsFuse()).map(Faults.Entry::name))
                .containsExactly("power-loss", "torn-write", "slow-disk", "disk-full", "fsync-eio");
    }

    @Test
    void processCrashesAllowNoLossUnderAnyPolicy() {
        for (Fault f : new Fault[]{Faults.kill().create(), Faults.restart().create()}) {
            assertThat(f.faultClass()).isEqualTo(FaultClass.CRASH);
            assertThat(f.endsTarget()).isTrue();
            for (Policy p : Policy.values()) assertThat(f.bound(p, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.NONE);
        }
    }

    @Test
    void aCrashDuringARewriteMayLoseWhatTheFsyncPolicyAllows() {
        Fault f = Faults.crashDuringRewrite().create();
        assertThat(f.faultClass()).isEqualTo(FaultClass.CRASH);
        assertThat(f.bound(Policy.ALWAYS, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.NONE);
        assertThat(f.bound(Policy.EVERYSEC, Duration.ofSeconds(2))).isEqualTo(DurabilityBound.ofMillis(2000));
        assertThat(f.bound(Policy.NO, Duration.ofSeconds(2)).unbounded()).isTrue();
    }

    @Test
    void thePowerLossFamilyMayLoseWhatThePolicyAllowsForUnsyncedData() {
        for (Fault f : new Fault[]{Faults.powerLoss().create(), Faults.tornWrite().create(), Faults.diskFull().create(), Faults.fsyncEio().create()}) {
            for (Policy p : Policy.values()) assertThat(f.bound(p, Duration.ofSeconds(2))).isEqualTo(p.unsyncedLossBound(Duration.ofSeconds(2)));
        }
        assertThat(Faults.diskFull().create().faultClass()).isEqualTo(FaultClass.RESOURCE);
        assertThat(Faults.fsyncEio().create().faultClass()).isEqualTo(FaultClass.RESOURCE);
        assertThat(Faults.powerLoss().create().faultClass()).isEqualTo(FaultClass.CRASH);
        assertThat(Faults.byName("power-loss").policyGoverned()).isTrue();
        assertThat(Faults.byName("corrupt").policyGoverned()).isFalse();
        assertThat(Faults.byName("crash-during-bgsave").policyGoverned()).isFalse();
        assertThat(Faults.byName("fsync-eio").policyGoverned()).as("judged from when fsync began failing").isFalse();
    }

    @Test
    void aSlowedSaveLastsAboutTheSpanWhateverTheKeyCount() {
        assertThat(Persistence.delayMicros(16, Duration.ofMillis(1600))).isEqualTo(100_000);
        assertThat(Persistence.delayMicros(0, Duration.ofMillis(500))).isEqualTo(500_000);
        assertThat(Persistence.delayMicros(1, Duration.ofSeconds(5))).as("capped").isEqualTo(1_000_000);
        assertThat(Persistence.delayMicros(10_000_000, Duration.ofSeconds(1))).as("at least 1µs").isEqualTo(1);
    }

    @Test
    void mediaFaultsExpectLossAndKillFirst() {
        for (Fault f : new Fault[]{Faults.truncate().create(), Faults.corrupt().create()}) {
            assertThat(f.faultClass()).isEqualTo(FaultClass.MEDIA);
            for (Policy p : Policy.values()) assertThat(f.bound(p, Duration.ofSeconds(2)).unbounded()).isTrue();
        }
    }
}
