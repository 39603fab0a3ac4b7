package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import lossmeter.faults.FaultSpec;
import lossmeter.faults.Faults;
import lossmeter.faults.node.Node;
import lossmeter.faults.target.Policy;

/** A campaign holds fault specs: each trial builds its own fault, and names stay unique. */
class CampaignSpecTest {
    private static CampaignSpec spec(List<FaultSpec> faults, TrialId only) {
        TrialSpec t = TrialFilesTest.spec(Path.of("x"));
        return new CampaignSpec(t.target(), List.of(Policy.ALWAYS, Policy.NO), faults, 2, t.settings(), 42, Path.of("out"),
                LossGate.defaults(Duration.ofSeconds(2)), only);
    }

    @Test
    void everyTrialGetsAFreshFaultFromItsSpec() {
        CampaignSpec s = spec(List.of(Faults.kill(), Faults.powerLoss()), null);
        assertThat(s.trialIds()).extracting(TrialId::toString).containsExactly("always-kill-1", "always-kill-2", "always-power-loss-1",
                "always-power-loss-2", "no-kill-1", "no-kill-2", "no-power-loss-1", "no-power-loss-2");
        Campaign c = new Campaign(s, List.<Campaign.Slot>of(), Progress.to(new java.io.PrintWriter(java.io.Writer.nullWriter()), false));
        TrialSpec a = c.trialSpec(TrialId.parse("always-power-loss-1"));
        TrialSpec b = c.trialSpec(TrialId.parse("always-power-loss-2"));
        assertThat(a.fault().name()).isEqualTo("power-loss");
        assertThat(a.fault()).isNotSameAs(b.fault());
    }

    @Test
    void aTrialOfAnSshNodeIsReproducedOnThatNodeWithTheSameLogin() {
        var ssh = new lossmeter.harness.node.ssh.SshNodeSpec(lossmeter.harness.node.ssh.SshAddress.parse("ssh://u@h:2"),
                new lossmeter.harness.node.ssh.SshOptions(Path.of("/k"), Path.of("/kh"), false, null, null));
        CampaignSpec s = spec(List.of(Faults.kill()), null).on(new Fleet(List.of(lossmeter.harness.node.NodeSpec.local(), ssh), 2));
        TrialId id = TrialId.parse("no-kill-2");
        assertThat(s.reproduceCommand(id, "ssh://u@h:2")).contains("--nodes ssh://u@h:2 --ssh-key /k --ssh-known-hosts /kh --seed 42");
        assertThat(s.reproduceCommand(id, "local")).doesNotContain("--nodes", "--ssh");
        assertThat(s.campaignKey()).isEqualTo(spec(List.of(Faults.kill()), null).campaignKey()).doesNotContain("ssh");
    }

    @Test
    void faultNamesAreUniqueAndTheReplayedTrialsFaultIsAmongThem() {
        assertThatThrownBy(() -> spec(List.of(Faults.kill(), Faults.kill()), null)).hasMessageContaining("names a fault twice");
        assertThatThrownBy(() -> spec(List.of(Faults.kill()), TrialId.parse("always-power-loss-1")))
                .hasMessageContaining("fault 'power-loss' is not among the faults [kill]");
        assertThat(spec(List.of(Faults.kill(), Faults.powerLoss()), TrialId.parse("no-power-loss-2")).trialIds())
                .containsExactly(TrialId.parse("no-power-loss-2"));
    }
}
