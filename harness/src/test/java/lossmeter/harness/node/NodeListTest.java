package lossmeter.harness.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import lossmeter.harness.node.container.ContainerNodeSpec;
import lossmeter.harness.node.ssh.SshOptions;

class NodeListTest {
    private static final SshOptions SSH = new SshOptions(null, null, false, null, null);

    @Test
    void containerSlotsAreNamedAndRunATrialEachInAFreshContainer() {
        List<NodeSpec> two = NodeList.parse("container:2", SSH, null);
        assertThat(two).extracting(NodeSpec::name).containsExactly("container-1", "container-2");
        assertThat(two).allSatisfy(n -> {
            assertThat(n.perTrial()).isTrue();
            assertThat(n.kind()).isEqualTo("container");
            assertThat(n.flags()).containsExactly("--nodes", "container");
        });
        assertThat(NodeList.parse("container", SSH, null)).extracting(NodeSpec::name).containsExactly("container");
        List<NodeSpec> own = NodeList.parse("container", SSH, "my-server:dev");
        assertThat(own.getFirst().flags()).containsExactly("--nodes", "container", "--image", "my-server:dev");
        assertThat(own.getFirst().abilities()).isEqualTo(ContainerNodeSpec.ABILITIES);
    }

    @Test
    void badContainerListsAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> NodeList.parse("container:0", SSH, null)).hasMessageContaining("from 1 to");
        assertThatThrownBy(() -> NodeList.parse("container:x", SSH, null)).hasMessageContaining("container:N");
        assertThatThrownBy(() -> NodeList.parse("container,container:2", SSH, null)).hasMessageContaining("twice");
        assertThatThrownBy(() -> NodeList.parse("local", SSH, "img")).hasMessageContaining("--image").hasMessageContaining("container");
        assertThatThrownBy(() -> NodeList.parse("pod:1", SSH, null)).hasMessageContaining("container[:N]");
    }

    @Test
    void localAndSshNodesKeepTheirOwnFlagsAndAbilities() {
        NodeSpec local = NodeList.parse("local", SSH, null).getFirst();
        assertThat(local.perTrial()).isFalse();
        assertThat(local.flags()).isEmpty();
        assertThat(local.abilities()).isEqualTo(NodeSpec.MACHINE);
    }
}
