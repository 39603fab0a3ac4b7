package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.harness.run.Json;
import lossmeter.testsupport.Requirements;
import lossmeter.testsupport.Sshd;

/** Campaigns over two SSH nodes (real OpenSSH servers on 127.0.0.1 and 127.0.0.2): trials spread, files fetched back, nothing left. */
@Tag("integration")
class SshFleetIT {
    @TempDir
    static Path dir;
    static Sshd one;
    static Sshd two;
    static Path knownHosts;

    @BeforeAll
    static void startNodes() {
        Requirements.requireSshd();
        Requirements.requireFuse();
        one = Sshd.start("127.0.0.1", dir.resolve("sshd-1"));
        two = Sshd.start("127.0.0.2", dir.resolve("sshd-2"));
        two.authorize(one);
        knownHosts = dir.resolve("known_hosts");
        Sshd.writeKnownHosts(knownHosts, one, two);
    }

    @AfterAll
    static void stopNodes() {
        if (one != null) one.close();
        if (two != null) two.close();
    }

    static List<String> fleet(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--nodes", one.uri("root") + "," + two.uri("root"), "--ssh-key",
                one.userKey().toString(), "--ssh-known-hosts", knownHosts.toString(), "--ssh-work-dir", dir.resolve("work").toString(),
                "--duration", "1s", "--crashes", "1", "--seed", "11", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** Nothing of any run is left on the nodes: no run dir, no process carrying a run's mark, no lossyfs mount. */
    static void assertNodesClean() throws IOException {
        Path runs = dir.resolve("work/runs");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertThat(s.toList()).as("run dirs left on the nodes").isEmpty();
            }
        }
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).as("mounts under the nodes' work dir")
                .noneMatch(l -> l.contains(dir.resolve("work").toString()));
    }

    @Test
    void aCampaignOverTwoNodesPassesWithTrialsOnBoth() throws IOException {
        Path out = dir.resolve("pass");
        Cli.Result r = Cli.run(fleet(out, "--faults", "kill,power-loss,crash-during-rewrite", "--policies", "always,everysec", "--trials",
                "2").toArray(String[]::new));
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode results = Json.PRETTY.readTree(out.resolve("results.json").toFile());
        assertThat(results.get("verdict").asText()).isEqualTo("PASS");
        assertThat(results.get("trials")).hasSize(12);
        Set<String> nodes = new HashSet<>();
        for (JsonNode t : results.get("trials")) nodes.add(t.get("node").asText());
        assertThat(nodes).containsExactlyInAnyOrder(one.uri("root"), two.uri("root"));
        // The trials' files came back: the target's log and the history of each.
        for (JsonNode t : results.get("trials")) {
            Path trial = out.resolve("trials").resolve(t.get("trial").asText());
            assertThat(trial.resolve("target.log")).isNotEmptyFile();
            assertThat(trial.resolve("history.jsonl")).isNotEmptyFile();
        }
        assertNodesClean();
    }

    /** A server that acknowledges before it writes loses acknowledged writes on a kill; the failing trial's data dirs come back for a look. */
    @Test
    void aFailingTrialsDataDirsAreCopiedBack() throws IOException {
        Path out = dir.resolve("fail");
        Cli.Result r = Cli.run(fleet(out, "--target", "bundled:--enable-unsafe-durability-switches yes --unsafe-reply-before-aof-write yes",
                "--faults", "power-loss", "--policies", "always", "--trials", "2", "--duration", "2s").toArray(String[]::new));
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        JsonNode results = Json.PRETTY.readTree(out.resolve("results.json").toFile());
        List<String> failing = new ArrayList<>();
        for (JsonNode t : results.get("trials")) if (t.get("verdict").asText().equals("VIOLATION")) failing.add(t.get("trial").asText());
        assertThat(failing).isNotEmpty();
        for (String t : failing) {
            assertThat(out.resolve("trials").resolve(t).resolve("data")).isDirectory();
            assertThat(out.resolve("trials").resolve(t).resolve("crash-1-data")).isDirectory();
            assertThat(results.get("trials").findValues("reproduce").stream().map(JsonNode::asText)).anyMatch(c -> c.contains("--nodes ssh://"));
        }
        assertNodesClean();
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeAnythingStarts() throws IOException {
        Path empty = dir.resolve("no_known_hosts");
        Files.writeString(empty, "");
        List<String> args = fleet(dir.resolve("refused"));
        args.set(args.indexOf(knownHosts.toString()), empty.toString());
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("unknown host key", "--ssh-accept-new-host-keys", one.uri("root"));
        assertThat(dir.resolve("refused/trials")).doesNotExist();
    }

    @Test
    void nodesCheckShowsWhatEachNodeHas() {
        Cli.Result r = Cli.run("nodes", "check", "--nodes", one.uri("root") + "," + two.uri("root"), "--ssh-key", one.userKey().toString(),
                "--ssh-known-hosts", knownHosts.toString(), "--ssh-work-dir", dir.resolve("work").toString(), "--target", "redis",
                "--faults", "kill,power-loss");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("reachable", "host key", "JDK", "redis-server", "FUSE", "free disk", "clock offset",
                one.uri("root"), two.uri("root"), "ssh-ed25519", "every node can run redis");
        Cli.Result bad = Cli.run("nodes", "check", "--nodes", one.uri("root"), "--ssh-key", one.userKey().toString(),
                "--ssh-known-hosts", knownHosts.toString(), "--ssh-work-dir", dir.resolve("work").toString(), "--target",
                "redis:/no/such/redis-server");
        assertThat(bad.code()).as("%s", bad).isEqualTo(3);
        assertThat(bad.out()).contains("to fix:", "/no/such/redis-server");
    }
}
