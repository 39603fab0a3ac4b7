package lossmeter.harness.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.NodeException;

class LocalNodeTest {
    @TempDir
    Path dir;

    @Test
    void handlesFilesAndDirectoriesRecursively() {
        try (LocalNode node = new LocalNode()) {
            Path data = dir.resolve("data");
            node.files().write(data.resolve("appendonlydir/a.aof"), "hello world".getBytes(StandardCharsets.UTF_8));
            node.files().write(data.resolve("dump.rdb"), new byte[]{1, 2, 3});
            node.files().truncate(data.resolve("appendonlydir/a.aof"), 5);
            assertThat(node.files().size(data.resolve("appendonlydir/a.aof"))).isEqualTo(5);
            node.files().copy(data, dir.resolve("copy"));
            assertThat(new String(node.files().read(dir.resolve("copy/appendonlydir/a.aof")), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(node.files().list(dir.resolve("copy"))).containsExactly(dir.resolve("copy/appendonlydir"), dir.resolve("copy/dump.rdb"));
            node.files().delete(data);
            node.files().delete(data);
            assertThat(node.files().exists(data)).isFalse();
            assertThatThrownBy(() -> node.files().read(data.resolve("dump.rdb"))).isInstanceOf(NodeException.class);
        }
    }

    @Test
    void runsShortCommandsWithTheirExitCodeAndOutput() {
        try (LocalNode node = new LocalNode()) {
            CommandResult r = node.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.output()).contains("out", "err");
            assertThatThrownBy(() -> node.run(List.of("sleep", "5"), Duration.ofMillis(100))).isInstanceOf(NodeException.class)
                    .hasMessageContaining("did not finish");
        }
    }

    @Test
    void readsGroupMembershipFromProcStat() throws IOException {
        Path proc = Files.createDirectories(dir.resolve("123"));
        Files.writeString(proc.resolve("stat"), "123 (odd) name) S 1 777 777 0 -1");
        assertThat(LocalNode.liveMember(proc, 777)).isTrue();
        assertThat(LocalNode.liveMember(proc, 778)).isFalse();
        Files.writeString(proc.resolve("stat"), "123 (zombie) Z 1 777 777 0 -1");
        assertThat(LocalNode.liveMember(proc, 777)).isFalse();
        assertThat(LocalNode.liveMember(dir.resolve("gone"), 777)).isFalse();
    }
}
