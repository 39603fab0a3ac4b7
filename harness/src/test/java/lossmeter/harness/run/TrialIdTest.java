package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lossmeter.faults.target.Policy;

class TrialIdTest {
    @Test
    void parsesAndPrintsTheSelector() {
        TrialId id = TrialId.parse("everysec-kill-3");
        assertThat(id).isEqualTo(new TrialId(Policy.EVERYSEC, "kill", 3));
        assertThat(id.toString()).isEqualTo("everysec-kill-3");
        assertThat(id.cell()).isEqualTo("everysec-kill");
    }

    @Test
    void faultNamesMayHoldDashes() {
        assertThat(TrialId.parse("no-power-loss-12")).isEqualTo(new TrialId(Policy.NO, "power-loss", 12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "always", "always-kill", "always--1", "-kill-1", "always-kill-x", "always-kill-0",
            "sometimes-kill-1", "always-kill-"})
    void refusesMalformedSelectors(String bad) {
        assertThatThrownBy(() -> TrialId.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seedsDependOnTheNameNotThePosition() {
        TrialId a = TrialId.parse("always-kill-1");
        assertThat(Seeds.trialSeed(7, a)).isEqualTo(Seeds.trialSeed(7, TrialId.parse("always-kill-1")));
        assertThat(Seeds.trialSeed(7, a)).isNotEqualTo(Seeds.trialSeed(7, TrialId.parse("always-kill-2")));
        assertThat(Seeds.trialSeed(7, a)).isNotEqualTo(Seeds.trialSeed(8, a));
        assertThatThrownBy(() -> new TrialId(Policy.NO, "kill", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
