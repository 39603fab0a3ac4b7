package lossmeter.harness.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.Signal;

@Tag("integration")
class LocalNodeIT {
    @TempDir
    Path dir;

    /** The state letter of /proc/PID/stat (R, S, T, Z…), or null when the process is gone. */
    static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
        } catch (IOException e) {
            return null;
        }
    }

    static long pgrp(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }

    @Test
    void startsEachProcessAsTheLeaderOfItsOwnGroupAndKillsTheWholeGroup() throws IOException {
        try (LocalNode node = new LocalNode()) {
            // The shell forks two children: a group kill must reach them, not only the shell.
            NodeProcess p = node.start(List.of("sh", "-c", "sleep 300 & sleep 300 & echo started; wait"), null, Map.of(), dir.resolve("p.log"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("p.log"))
                    && Files.readString(dir.resolve("p.log")).contains("started"));
            assertThat(p.pgid()).isEqualTo(p.pid());
            assertThat(pgrp(p.pid())).isEqualTo(p.pid());
            List<ProcessHandle> children = ProcessHandle.of(p.pid()).orElseThrow().children().toList();
            assertThat(children).hasSize(2);
            assertThat(node.alive(p)).isTrue();
            assertThat(ProcessRegistry.global().tracked()).contains(p);

            node.signal(p, Signal.KILL);
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.alive(p));
            for (ProcessHandle c : children) {
                await().atMost(Duration.ofSeconds(10)).until(() -> state(c.pid()) == null || state(c.pid()).equals("Z"));
            }
            node.forget(p);
            assertThat(ProcessRegistry.global().tracked()).doesNotContain(p);
            assertThat(ProcessRegistry.global().everStarted()).contains(p);
            node.signal(p, Signal.KILL); // a group already gone is not an error
        }
    }

    /**
     * Regression: until setsid(2) runs in the child (a long instant on a loaded machine) the group
     * does not exist yet, but the process does, and a readiness check that looked only at the group
     * declared a just-started target dead. The launcher here sleeps before setsid to widen that instant.
     */
    @Test
    void aJustStartedProcessIsAliveAndKillableBeforeItsGroupExists() {
        try (LocalNode node = new LocalNode(List.of("sh", "-c", "sleep 1; exec setsid \"$@\"", "sh"))) {
            NodeProcess p = node.start(List.of("sleep", "300"), null, Map.of(), dir.resolve("r.log"));
            assertThat(node.alive(p)).isTrue();
            node.signal(p, Signal.KILL);
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.alive(p));
            node.forget(p);
        }
    }

    @Test
    void stopAndContFreezeAndResumeTheGroup() {
        try (LocalNode node = new LocalNode()) {
            NodeProcess p = node.start(List.of("sleep", "300"), null, Map.of(), dir.resolve("s.log"));
            await().atMost(Duration.ofSeconds(10)).until(() -> "S".equals(state(p.pid())));
            node.signal(p, Signal.STOP);
            await().atMost(Duration.ofSeconds(10)).until(() -> "T".equals(state(p.pid())));
            node.signal(p, Signal.CONT);
            await().atMost(Duration.ofSeconds(10)).until(() -> "S".equals(state(p.pid())));
        }
    }

    @Test
    void closingTheNodeKillsEverythingItStarted() {
        NodeProcess a;
        NodeProcess b;
        try (LocalNode node = new LocalNode()) {
            a = node.start(List.of("sleep", "300"), null, Map.of(), dir.resolve("a.log"));
            b = node.start(List.of("sh", "-c", "sleep 300; true"), dir, Map.of("X", "1"), dir.resolve("b.log"));
            assertThat(node.alive(a)).isTrue();
        }
        try (LocalNode probe = new LocalNode()) {
            assertThat(probe.alive(a)).isFalse();
            assertThat(probe.alive(b)).isFalse();
        }
        assertThat(ProcessRegistry.global().tracked()).doesNotContain(a, b);
    }
}
