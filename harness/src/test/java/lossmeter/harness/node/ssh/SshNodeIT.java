package lossmeter.harness.node.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.NodeUnreachableException;
import lossmeter.faults.node.Signal;
import lossmeter.harness.node.HostKeyException;
import lossmeter.testsupport.Requirements;
import lossmeter.testsupport.Sshd;

/** An SSH node against a real OpenSSH server on a loopback address: every operation of the seam, host keys, a dying server. */
@Tag("integration")
class SshNodeIT {
    @TempDir
    static Path dir;
    static Sshd sshd;
    static Path knownHosts;

    @BeforeAll
    static void startSshd() {
        Requirements.requireSshd();
        sshd = Sshd.start("127.0.0.2", dir.resolve("sshd"));
        knownHosts = dir.resolve("known_hosts");
        Sshd.writeKnownHosts(knownHosts, sshd);
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) sshd.close();
    }

    static SshOptions options(Path known, boolean acceptNew) {
        return new SshOptions(sshd.userKey(), known, acceptNew, null, dir.resolve("node-work"));
    }

    static SshNode open() {
        return SshNode.connect(SshAddress.parse(sshd.uri("root")), options(knownHosts, false));
    }

    @Test
    void runsCommandsStartsAndKillsGroupsAndHandlesFiles() throws Exception {
        try (SshNode node = open()) {
            assertThat(node.name()).isEqualTo("ssh://root@127.0.0.2:" + sshd.port());
            assertThat(node.address()).isEqualTo("127.0.0.2");
            CommandResult r = node.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.output()).contains("out", "err");
            assertThat(node.run(List.of("sleep", "5"), Duration.ofSeconds(1)).exitCode()).as("killed at its timeout").isEqualTo(137);

            Path work = node.trialDir(dir.resolve("results/trial-1"));
            Path log = work.resolve("p.log");
            NodeProcess p = node.start(List.of("sh", "-c", "echo \"$X $LOSSMETER_RUN\"; sleep 1000 & sleep 1000"), null, Map.of("X", "hello"), log);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.files().exists(log)
                    && new String(node.files().read(log), StandardCharsets.UTF_8).contains("hello"));
            assertThat(node.alive(p)).isTrue();
            node.signal(p, Signal.KILL);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !node.alive(p));
            node.forget(p);

            Path f = work.resolve("data/a/b.aof");
            node.files().write(f, "hello world".getBytes(StandardCharsets.UTF_8));
            node.files().truncate(f, 5);
            assertThat(node.files().size(f)).isEqualTo(5);
            node.files().copy(work.resolve("data"), work.resolve("copy"));
            assertThat(node.files().list(work.resolve("copy"))).containsExactly(work.resolve("copy/a"));
            node.files().fetch(work.resolve("copy"), dir.resolve("fetched"));
            assertThat(Files.readString(dir.resolve("fetched/a/b.aof"))).isEqualTo("hello");
            node.files().delete(work.resolve("copy"));
            assertThat(node.files().exists(work.resolve("copy"))).isFalse();
            assertThatThrownBy(() -> node.files().read(work.resolve("nope"))).isInstanceOf(NodeException.class);

            int port = node.freePort();
            assertThat(port).isBetween(20000, 32767);
            List<String> java = node.require(JavaRuntime.class, "run java").java(JavaRuntime.harnessClasspath());
            CommandResult v = node.run(List.of(java.get(0), "-version"), Duration.ofSeconds(30));
            assertThat(v.output()).contains("25");
        }
    }

    /** A group is alive from the moment start returns (not only once setsid has run in the child), and dead after a KILL. */
    @Test
    void aGroupIsAliveFromTheMomentStartReturns() {
        try (SshNode node = open()) {
            for (int i = 0; i < 20; i++) {
                NodeProcess p = node.start(List.of("sleep", "1000"), null, Map.of(), node.runDir().resolve("s.log"));
                assertThat(node.alive(p)).as("start %d", i).isTrue();
                node.signal(p, Signal.KILL);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !node.alive(p));
                node.forget(p);
            }
        }
    }

    /** Closing the node kills what it started and has not forgotten, and removes its run dir. */
    @Test
    void closeLeavesNothing() {
        Path run;
        NodeProcess p;
        try (SshNode node = open()) {
            run = node.runDir();
            p = node.start(List.of("sleep", "1000"), null, Map.of(), run.resolve("sleep.log"));
            assertThat(node.alive(p)).isTrue();
        }
        try (SshNode other = open()) {
            assertThat(other.alive(p)).isFalse();
            assertThat(other.files().exists(run)).isFalse();
        }
    }

    /** The harness dying (its session dropped without a close) ends every group through its tether, and the next sweep removes the rest. */
    @Test
    void aDroppedSessionKillsItsGroupsAndTheNextSweepCleansUp() {
        SshNode node = open();
        Path run = node.runDir();
        NodeProcess p = node.start(List.of("sleep", "1000"), null, Map.of(), run.resolve("sleep.log"));
        node.dropForTests();
        try (SshNode other = open()) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !other.alive(p));
            assertThat(other.sweep()).anyMatch(l -> l.contains(run.getFileName().toString()));
            assertThat(other.files().exists(run)).isFalse();
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedUnlessNewKeysAreAccepted() throws Exception {
        Path empty = dir.resolve("empty_known_hosts");
        SshAddress a = SshAddress.parse(sshd.uri("root"));
        assertThatThrownBy(() -> SshNode.connect(a, options(empty, false))).isInstanceOf(HostKeyException.class)
                .hasMessageContaining("unknown host key").hasMessageContaining("--ssh-accept-new-host-keys");
        try (SshNode node = SshNode.connect(a, options(empty, true))) {
            assertThat(node.run(List.of("true"), Duration.ofSeconds(10)).ok()).isTrue();
        }
        assertThat(Files.readString(empty)).isEqualTo(sshd.knownHostsLine().strip() + "\n");
        // The accepted key is now on record: a plain connect works.
        try (SshNode node = SshNode.connect(a, options(empty, false))) {
            assertThat(node.hostKey()).startsWith("ssh-ed25519 ");
        }
        Path wrong = dir.resolve("wrong_known_hosts");
        String other = Files.readString(sshd.userKey().resolveSibling(sshd.userKey().getFileName() + ".pub")).split(" ")[1];
        Files.writeString(wrong, "[127.0.0.2]:" + sshd.port() + " ssh-ed25519 " + other + "\n");
        assertThatThrownBy(() -> SshNode.connect(a, options(wrong, true))).isInstanceOf(HostKeyException.class)
                .hasMessageContaining("differs");
    }

    @Test
    void aServerThatIsGoneMakesTheNodeUnreachable() {
        Sshd lone = Sshd.start("127.0.0.2", dir.resolve("lone"));
        Path known = dir.resolve("lone_known_hosts");
        Sshd.writeKnownHosts(known, lone);
        SshNode node = SshNode.connect(SshAddress.parse(lone.uri("root")), new SshOptions(lone.userKey(), known, false, Duration.ofSeconds(2), dir.resolve("node-work")));
        try {
            lone.die();
            assertThatThrownBy(() -> node.run(List.of("true"), Duration.ofSeconds(5))).isInstanceOf(NodeUnreachableException.class);
        } finally {
            node.close();
            lone.close();
        }
    }
}
