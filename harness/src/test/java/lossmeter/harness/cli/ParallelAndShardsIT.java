package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.faults.node.NodeProcess;
import lossmeter.harness.run.Json;
import lossmeter.testsupport.Requirements;

/** Trials at once on this machine ({@code --parallel}), and a campaign run as shards and merged, against the same campaign run whole. */
@Tag("integration")
class ParallelAndShardsIT {
    @TempDir
    Path dir;

    private static List<String> campaign(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--faults", "kill,power-loss", "--policies", "everysec", "--trials", "2",
                "--duration", "1s", "--crashes", "1", "--seed", "23", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private static JsonNode results(Path out) throws IOException {
        return Json.PRETTY.readTree(out.resolve("results.json").toFile());
    }

    /** trial name → seed. */
    private static Map<String, Long> seeds(JsonNode results) {
        Map<String, Long> m = new TreeMap<>();
        for (JsonNode t : results.get("trials")) m.put(t.get("trial").asText(), t.get("seed").asLong());
        return m;
    }

    @Test
    void parallelTrialsOnThisMachinePassAndLeaveNothing() throws IOException {
        Requirements.requireFuse();
        int before = Cli.started();
        Path out = dir.resolve("parallel");
        Cli.Result r = Cli.run(campaign(out, "--parallel", "3").toArray(String[]::new));
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("3 at a time");
        JsonNode results = results(out);
        assertThat(results.get("parallel").asInt()).isEqualTo(3);
        assertThat(seeds(results)).hasSize(4);
        List<NodeProcess> started = Cli.startedSince(before);
        Cli.assertNothingLeft(started);
    }

    /** The same seed makes the same trials with the same seeds whether run whole, in parallel or as shards; merged shards pass like the whole. */
    @Test
    void shardsMergedMakeTheSameCampaignAsOneRun() throws IOException {
        Requirements.requireFuse();
        Path whole = dir.resolve("whole");
        Cli.Result w = Cli.run(campaign(whole).toArray(String[]::new));
        assertThat(w.code()).as("%s", w).isZero();
        List<String> shardDirs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path s = dir.resolve("shard-" + i);
            Cli.Result r = Cli.run(campaign(s, "--shard", i + "/3").toArray(String[]::new));
            assertThat(r.code()).as("%s", r).isZero();
            assertThat(results(s).get("shard").asText()).isEqualTo(i + "/3");
            shardDirs.add(s.toString());
        }
        List<String> merge = new ArrayList<>(List.of("merge", dir.resolve("merged").toString()));
        merge.addAll(shardDirs);
        Cli.Result m = Cli.run(merge.toArray(String[]::new));
        assertThat(m.code()).as("%s", m).isZero();
        JsonNode merged = results(dir.resolve("merged"));
        JsonNode expected = results(whole);
        assertThat(seeds(merged)).isEqualTo(seeds(expected));
        assertThat(merged.get("verdict").asText()).isEqualTo("PASS");
        assertThat(merged.has("shard")).isFalse();
        for (int c = 0; c < expected.get("cells").size(); c++) {
            JsonNode a = merged.get("cells").get(c);
            JsonNode b = expected.get("cells").get(c);
            for (String k : List.of("policy", "fault", "trials", "crashes", "injected")) assertThat(a.get(k)).as("%s of cell %d", k, c).isEqualTo(b.get(k));
        }
        assertThat(dir.resolve("merged/report.html")).isNotEmptyFile();
        assertThat(dir.resolve("merged/junit.xml")).isNotEmptyFile();
        Cli.Result again = Cli.run(merge.toArray(String[]::new));
        assertThat(again.code()).as("%s", again).isEqualTo(2);
        assertThat(again.err()).contains("already holds");
    }
}
