package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.harness.explore.Explorer;
import lossmeter.harness.explore.Scenario;
import lossmeter.harness.run.Json;

/**
 * explore and replay on real processes: a server that replies before its AOF write is found, shrunk
 * to one cycle, one client and a few ops, and its scenario replays as a failure; the correct server
 * is not flagged; a malformed scenario is a usage error.
 */
@Tag("integration")
class ExploreIT {
    @TempDir
    Path dir;

    @Test
    void aBrokenServerIsFoundShrunkAndReplayed() throws Exception {
        int before = Cli.started();
        Path out = dir.resolve("explore");
        Cli.Result r = Cli.run("explore", "--target", "bundled:--enable-unsafe-durability-switches yes --unsafe-reply-before-aof-write yes",
                "--policies", "everysec", "--faults", "kill", "--budget", "90s", "--shrink-budget", "90s", "--seed", "1", "--out", out.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("minimal reproducer").contains("LOST_ACKED").contains("◀ LOST_ACKED");
        Scenario shrunk = Scenario.read(out.resolve(Explorer.SHRUNK).resolve(Scenario.FILE));
        assertThat(shrunk.cycles()).hasSize(1);
        assertThat(shrunk.clients()).isLessThanOrEqualTo(2);
        JsonNode repro = Json.PRETTY.readTree(out.resolve(Explorer.SHRUNK).resolve(Explorer.REPRODUCER).toFile());
        assertThat(repro.get("shrunk").get("keys").asInt()).isLessThanOrEqualTo(2);
        assertThat(repro.get("shrunk").get("ops").asLong()).isLessThan(repro.get("original").get("ops").asLong());
        assertThat(repro.get("replayFailures").asInt()).isGreaterThanOrEqualTo(2);
        String html = Files.readString(out.resolve(Explorer.SHRUNK).resolve("report.html"));
        assertThat(html).contains("Minimal reproducer").contains("lossmeter replay").contains("── crash 1: kill")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain("src=\"http");
        assertThat(out.resolve(Explorer.ORIGINAL).resolve("report.html")).isRegularFile();

        Cli.assertNothingLeft(Cli.startedSince(before));

        // The replay a user runs: the packaged launcher, a fresh JVM each time (slower to its first
        // reply and to its first kill than the explorer's warm one), must fail as the explorer said.
        String scenario = out.resolve(Explorer.SHRUNK).resolve(Scenario.FILE).toString();
        List<Cli.Result> replays = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            replays.add(Cli.launched(dir.resolve("launch"), Duration.ofMinutes(2), "replay", scenario, "--out", dir.resolve("replay-" + i).toString()));
        }
        assertThat(replays).as("exit codes").allSatisfy(x -> assertThat(x.code()).as("%s", x).isIn(0, 1));
        assertThat(replays.stream().filter(x -> x.code() == 1).count()).as("fresh replays that fail, of 4: %s", replays).isGreaterThanOrEqualTo(2);
        assertThat(dir.resolve("replay-1").resolve(Scenario.FILE)).isRegularFile();
        assertThat(dir.resolve("replay-1").resolve("results.json")).isRegularFile();
    }

    @Test
    void theCorrectServerIsNotFlagged() throws IOException {
        int before = Cli.started();
        Path out = dir.resolve("clean");
        Cli.Result r = Cli.run("explore", "--target", "bundled", "--faults", "kill", "--budget", "20s", "--seed", "4", "--out", out.toString());
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode s = Json.PRETTY.readTree(out.resolve(Explorer.SUMMARY).toFile());
        assertThat(s.get("verdict").asText()).isEqualTo("PASS");
        assertThat(s.get("scenarios").asInt()).isPositive();
        assertThat(r.out()).contains("no failure in");
        Cli.assertNothingLeft(Cli.startedSince(before));
    }

    @Test
    void aMalformedScenarioIsAUsageError() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"lossmeter-scenario\", \"version\": 9}");
        Cli.Result r = Cli.run("replay", bad.toString(), "--out", dir.resolve("never").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("version 9 is not supported");
        assertThat(dir.resolve("never")).doesNotExist();
        Cli.Result missing = Cli.run("replay", dir.resolve("nope.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        Cli.Result flags = Cli.run("explore", "--fails-in", "3/2", "--out", dir.resolve("never2").toString());
        assertThat(flags.code()).isEqualTo(2);
        assertThat(flags.err()).contains("--fails-in");
    }
}
