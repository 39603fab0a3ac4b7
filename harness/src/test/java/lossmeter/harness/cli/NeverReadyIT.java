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
        assertThat(r.err()).contains("infrastructure failure", "did not answer PING within 2000ms", "booting the fake server");
        assertThat(r.out()).contains("FAIL");
        List<NodeProcess> started = Cli.startedSince(before);
        assertThat(started).as("the campaign stops after the first trial").hasSize(1);
        Cli.assertNothingLeft(started);
        JsonNode results = Json.PRETTY.readTree(dir.resolve("out/results.json").toFile());
        assertThat(results.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(results.get("aborted").asText()).contains("booting the fake server");
        assertThat(results.get("trials").get(0).get("verdict").asText()).isEqualTo("INDETERMINATE");
    }
}
