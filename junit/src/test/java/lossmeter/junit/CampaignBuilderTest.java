package lossmeter.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.node.ssh.SshOptions;
import lossmeter.harness.run.CampaignSpec;

/** Where a campaign built in a test suite runs: this machine by default, K trials at once, or named nodes. */
class CampaignBuilderTest {
    @TempDir
    Path dir;

    @Test
    void runsLocallyOneAtATimeUnlessToldOtherwise() throws java.io.IOException {
        CampaignSpec plain = Lossmeter.campaign().seed(1).out(Path.of("target/x")).spec();
        assertThat(plain.fleet().isLocal()).isTrue();
        assertThat(plain.fleet().parallel()).isEqualTo(1);

        CampaignSpec parallel = Lossmeter.campaign().parallel(3).seed(1).out(Path.of("target/x")).spec();
        assertThat(parallel.fleet().slots()).isEqualTo(3);
        assertThatThrownBy(() -> Lossmeter.campaign().parallel(0)).hasMessageContaining("parallel");

        Path key = java.nio.file.Files.writeString(dir.resolve("id_ed25519"), "a key file; only its existence is checked here");
        SshOptions ssh = new SshOptions(key, dir.resolve("known_hosts"), false, null, null);
        CampaignSpec fleet = Lossmeter.campaign().nodes("local,ssh://root@127.0.0.2:2222", ssh).seed(1)
                .out(Path.of("target/x")).spec();
        assertThat(fleet.fleet().nodes()).extracting(NodeSpec::name).containsExactly("local", "ssh://root@127.0.0.2:2222");
        assertThatThrownBy(() -> Lossmeter.campaign().nodes("tcp://x", ssh)).hasMessageContaining("unknown node");
        assertThatThrownBy(() -> Lossmeter.campaign().nodes("ssh://root@127.0.0.2:2222", new SshOptions(dir.resolve("none"), null, false, null, null)))
                .hasMessageContaining("no SSH key at");
    }
}
