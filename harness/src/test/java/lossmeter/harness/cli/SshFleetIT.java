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
        return fleet(one.uri("root") + "," + two.uri("root"), knownHosts, dir.resolve("work"), out, extra);
    }

    static List<String> fleet(String nodes, Path known, Path work, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--nodes", nodes, "--ssh-key", one.userKey().toString(), "--ssh-known-hosts",
                known.toString(), "--ssh-work-dir", work.toString(), "--duration", "1s", "--crashes", "1", "--seed", "11", "--out",
                out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    static void assertNodesClean() throws IOException {
        assertNodesClean(dir.resolve("work"));
    }

    /** Nothing of any run is left on the nodes: no run dir, no process working under the nodes' work dir, no mount there. */
    static void assertNodesClean(Path work) throws IOException {
        Path runs = work.resolve("runs");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertThat(s.toList()).as("run dirs left on the nodes").isEmpty();
            }
        }
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).as("mounts under the nodes' work dir")
                .noneMatch(l -> l.contains(work.toString()));
        List<String> left = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException e) {
                    continue; // gone
                }
                if (cmdline.contains(work.toString())) left.add(p.getFileName() + ": " + cmdline);
            }
        }
        assertThat(left).as("processes working under the nodes' work dir").isEmpty();
    }

    /** Trial names of results.json, by the node each ran on. */
    static java.util.Map<String, List<JsonNode>> byNode(JsonNode results) {
        java.util.Map<String, List<JsonNode>> out = new java.util.TreeMap<>();
        for (JsonNode t : results.get("trials")) out.computeIfAbsent(t.get("node").asText(), k -> new ArrayList<>()).add(t);
        return out;
    }

    /** Waits until trials on {@code count} nodes have a target that answered (their events say ready). */
    static void awaitReadyOn(Path out, int count) {
        org.awaitility.Awaitility.await("targets ready on " + count + " nodes").atMost(java.time.Duration.ofMinutes(2))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    Path trials = out.resolve("trials");
                    if (!Files.isDirectory(trials)) return false;
                    Set<String> ready = new HashSet<>();
                    try (Stream<Path> s = Files.list(trials)) {
                        for (Path t : s.toList()) {
                            Path events = t.resolve("events.log");
                            if (!Files.exists(events)) continue;
                            String text = Files.readString(events);
                            java.util.regex.Matcher m = java.util.regex.Pattern.compile("on node (\\S+)").matcher(text);
                            if (text.contains("ready:") && m.find()) ready.add(m.group(1));
                        }
                    }
                    return ready.size() >= count;
                });
    }

    @Test
    void aCampaignOverTwoNodesPassesWithTrialsOnBoth() throws IOException {
        Path out = dir.resolve("pass");
        Cli.Result r = Cli.run(fleet(out, "--faults", "kill,power-loss,crash-during-rewrite", "--policies", "everysec", "--trials",
                "1").toArray(String[]::new));
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode results = Json.PRETTY.readTree(out.resolve("results.json").toFile());
        assertThat(results.get("verdict").asText()).isEqualTo("PASS");
        assertThat(results.get("trials")).hasSize(3);
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
            assertThat(results.get("trials").findValues("reproduce").stream().map(JsonNode::asText))
                    .anyMatch(c -> c.contains("--nodes ssh://") && c.contains("--ssh-key " + one.userKey()) && c.contains("--ssh-known-hosts "));
        }
        assertNodesClean();
    }

    /** A node whose SSH server dies mid-trial: that trial is INDETERMINATE, the node leaves, the other node runs the rest. */
    @Test
    void aNodeThatDiesMidTrialLeavesTheCampaignAndTheRestGoesOn() throws Exception {
        try (Sshd lone = Sshd.start("127.0.0.2", dir.resolve("sshd-lone"))) {
            lone.authorize(one);
            Path known = dir.resolve("known_hosts_lone");
            Sshd.writeKnownHosts(known, one, lone);
            Path out = dir.resolve("dies");
            List<String> args = fleet(one.uri("root") + "," + lone.uri("root"), known, dir.resolve("work-dies"), out, "--faults", "kill",
                    "--policies", "everysec", "--trials", "4", "--duration", "3s", "--crashes", "2");
            var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> Cli.run(args.toArray(String[]::new)));
            awaitReadyOn(out, 2);
            lone.die();
            Cli.Result r = run.get(5, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(r.code()).as("%s", r).isEqualTo(3);
            assertThat(r.err()).contains("node " + lone.uri("root") + " left the campaign");
            JsonNode results = Json.PRETTY.readTree(out.resolve("results.json").toFile());
            assertThat(results.get("trials")).as("every trial ran").hasSize(4);
            var nodes = byNode(results);
            assertThat(nodes.get(lone.uri("root"))).singleElement().satisfies(t -> assertThat(t.get("verdict").asText()).isEqualTo("INDETERMINATE"));
            assertThat(nodes.get(one.uri("root"))).hasSize(3).allSatisfy(t -> assertThat(t.get("reproduce").isNull()).as("%s", t).isTrue());
        }
    }

    /** SIGINT of a harness in the middle of power-loss trials on two nodes: nothing is left running, mounted or stored on either. */
    @Test
    void ctrlCOfTheHarnessLeavesNothingOnAnyNode() throws Exception {
        Path root = Path.of(System.getProperty("lossmeter.root", "..")).toAbsolutePath().normalize();
        assertThat(root.resolve("harness/target/harness.jar")).as("built by the package phase").isRegularFile();
        Path out = dir.resolve("interrupted");
        Path work = dir.resolve("work-interrupted");
        List<String> cmd = new ArrayList<>(List.of(root.resolve("lossmeter").toString()));
        cmd.addAll(fleet(one.uri("root") + "," + two.uri("root"), knownHosts, work, out, "--faults", "power-loss", "--policies",
                "everysec", "--trials", "2", "--duration", "10m"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("interrupted.log").toFile());
        pb.environment().put("LOSSMETER_NO_BUILD", "1");
        pb.environment().put("LOSSMETER_LEDGER", dir.resolve("ledger").toString());
        Process harness = pb.start();
        try {
            try {
                awaitReadyOn(out, 2);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                StringBuilder logs = new StringBuilder(Files.readString(dir.resolve("interrupted.log")));
                try (Stream<Path> found = Files.walk(out)) {
                    for (Path f : found.filter(f -> f.getFileName().toString().equals("lossyfs.log")).toList()) {
                        logs.append("\n--- ").append(f).append('\n').append(Files.readString(f));
                    }
                }
                throw new AssertionError(logs.toString(), e);
            }
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).as("lossyfs mounted on the nodes")
                    .anyMatch(l -> l.contains(work.toString()));
            new ProcessBuilder("kill", "-s", "INT", Long.toString(harness.pid())).start().waitFor();
            assertThat(harness.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(dir.resolve("interrupted.log"))).isTrue();
            assertNodesClean(work);
        } finally {
            harness.destroyForcibly();
        }
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
