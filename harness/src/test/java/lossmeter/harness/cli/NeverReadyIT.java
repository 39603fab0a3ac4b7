package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.faults.node.NodeProcess;
import lossmeter.harness.run.Json;

/** A target that never answers PING: exit 3, its log quoted, the campaign stopped, no process left. */
@Tag("integration")
class NeverReadyIT {
    @TempDir
    Path dir;

    @Test
    void isAnInfrastructureFailureThatQuotesTheLogAndLeavesNothingBehind() throws Exception {
        int before = Cli.started();
        Cli.Result r = Cli.run("run", "--target", "cmd:echo booting the fake server; sleep 1000 # {port}", "--ready-timeout", "2s",
                "--trials", "3", "--out", dir.resolve("out").toString(), "--seed", "1");
        assertThat(r.code()).as("%s", r).isEqualTo(3);
        assertThat(r.err()).contains("infrastructure failure", "did not answer PING within 2000ms", "booting the fake server",
                "INDETERMINATE: the harness failed");
        assertThat(r.out()).contains("INDETERMINATE (seed 1)");
        List<NodeProcess> started = Cli.startedSince(before);
        assertThat(started).as("the campaign stops after the first trial").hasSize(1);
        Cli.assertNothingLeft(started);
        JsonNode results = Json.PRETTY.readTree(dir.resolve("out/results.json").toFile());
        assertThat(results.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(results.get("aborted").asText()).contains("booting the fake server");
        assertThat(results.get("trials").get(0).get("verdict").asText()).isEqualTo("INDETERMINATE");
    }

    /**
     * The same target, whatever else the run is asked: one trial, more crashes, a passing baseline
     * to compare with, an exiting target instead of a silent one. Always 3 and INDETERMINATE.
     */
    @Test
    void isExitThreeWhateverElseTheRunIsAsked() throws Exception {
        Path baseline = dir.resolve("baseline.json");
        java.nio.file.Files.writeString(baseline, """
                {"verdict":"PASS","seed":1,"target":"x","cells":[{"policy":"always","fault":"kill","trials":1,"crashes":2,
                "ackedWrites":10,"lostAcked":0,"maxLossWindowMs":0,"violations":0,"unavailable":0,"anomalies":{}}]}
                """);
        List<List<String>> variants = List.of(
                List.of("--target", "cmd:sleep 1000 # {port}", "--only", "always-kill-1", "--crashes", "3"),
                List.of("--target", "cmd:sleep 1000 # {port}", "--policies", "always", "--baseline", baseline.toString()),
                List.of("--target", "cmd:echo no; exit 1 # {port}", "--policies", "always,no", "--faults", "kill,restart"));
        int n = 0;
        for (List<String> variant : variants) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--ready-timeout", "1s", "--seed", "1", "--out",
                    dir.resolve("v" + n++).toString()));
            args.addAll(variant);
            int before = Cli.started();
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertThat(r.code()).as("%s: %s", variant, r).isEqualTo(3);
            assertThat(r.out()).as("%s", variant).contains("INDETERMINATE");
            Cli.assertNothingLeft(Cli.startedSince(before));
        }
    }
}
