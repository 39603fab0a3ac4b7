package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.harness.run.HistoryJsonl;
import lossmeter.harness.run.Json;
import lossmeter.harness.run.TrialFiles;
import lossmeter.testsupport.Requirements;
import lossmeter.workloads.history.Op;

/**
 * The faults of the catalogue end to end, in-process, against the bundled server and a real
 * redis-server: what a correct server shows per docs/design.md's table, and nothing left running.
 */
@Tag("integration")
class FaultsIT {
    @TempDir
    Path dir;

    private Cli.Result campaign(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--trials", "1", "--duration", "2s", "--crashes", "1", "--seed", "11",
                "--out", dir.resolve("out").toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private List<Path> trials() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("out/trials"))) {
            return s.sorted().toList();
        }
    }

    private static JsonNode verdict(Path trial) throws IOException {
        return Json.PRETTY.readTree(trial.resolve(TrialFiles.VERDICT).toFile());
    }

    private static List<String> anomalyKinds(JsonNode verdict) {
        List<String> kinds = new ArrayList<>();
        for (JsonNode c : verdict.get("crashes")) {
            for (JsonNode a : c.get("anomalies")) kinds.add(a.get("kind").asText());
        }
        return kinds;
    }

    @Test
    void aPauseTurnsTimeoutsIntoInfoOpsAndNothingElse() throws IOException {
        int before = Cli.started();
        Cli.Result r = campaign("--faults", "pause", "--policies", "always", "--op-timeout", "300ms");
        assertThat(r.code()).as("%s", r).isZero();
        Path trial = dir.resolve("out/trials/always-pause-1");
        String events = Files.readString(trial.resolve(TrialFiles.EVENTS));
        assertThat(events).contains("SIGSTOP", "SIGCONT", "the target keeps running", "read back live");
        List<Op> ops = HistoryJsonl.read(trial.resolve(HistoryJsonl.FILE)).ops();
        assertThat(ops).as("timeouts during the pause").anySatisfy(op -> assertThat(op.isInfo()).isTrue());
        JsonNode v = verdict(trial);
        assertThat(v.get("verdict").asText()).isEqualTo("OK");
        assertThat(anomalyKinds(v)).isEmpty();
        // One start only before the final restart: the pause never ended the target.
        assertThat(Cli.startedSince(before)).hasSize(2);
        Cli.assertNothingLeft(Cli.startedSince(before));
    }

    @ParameterizedTest(name = "{0} repair={1}")
    @CsvSource({"bundled,false", "bundled,true", "redis,false", "redis,true"})
    void damagedFilesAreRefusedWithAReasonOrExplainedNeverServedSilently(String target, boolean repair) throws IOException {
        if (target.equals("redis")) Requirements.requireCommand("redis-server");
        int before = Cli.started();
        List<String> args = new ArrayList<>(List.of("--target", target, "--faults", "truncate,corrupt", "--policies", "everysec",
                "--trials", "2"));
        if (repair) args.add("--repair");
        Cli.Result r = campaign(args.toArray(String[]::new));
        assertThat(r.code()).as("%s", r).isIn(0, 1);
        int refusals = 0;
        for (Path trial : trials()) {
            JsonNode v = verdict(trial);
            assertThat(v.get("verdict").asText()).as("%s: %s", trial, r).isNotEqualTo("INDETERMINATE");
            assertThat(anomalyKinds(v)).as("silent damage in %s", trial).doesNotContain("PHANTOM", "CORRUPT");
            for (JsonNode c : v.get("crashes")) {
                if (c.get("verdict").asText().equals("UNAVAILABLE")) {
                    assertThat(c.get("note").asText()).as("the reason, from the target's log").isNotBlank().doesNotContain("null");
                }
            }
            String events = Files.readString(trial.resolve(TrialFiles.EVENTS));
            if (events.contains("refused to start:")) {
                refusals++;
                if (repair) assertThat(events).contains("--repair: the repair tool exited");
                else assertThat(events).doesNotContain("--repair");
            }
        }
        // A bit flipped in RESP framing or a zeroed block never parses: corrupt is always refused.
        assertThat(refusals).as("trials whose target refused damaged files").isPositive();
        Cli.assertNothingLeft(Cli.startedSince(before));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bundled", "redis"})
    void aKillAnywhereInARewriteLosesNothingUnderAlways(String target) throws IOException {
        if (target.equals("redis")) Requirements.requireCommand("redis-server");
        int before = Cli.started();
        Cli.Result r = campaign("--target", target, "--faults", "crash-during-rewrite", "--policies", "always", "--trials", "3",
                "--crashes", "2");
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode cell = Json.PRETTY.readTree(dir.resolve("out/results.json").toFile()).get("cells").get(0);
        assertThat(cell.get("lostAcked").asInt()).isZero();
        assertThat(cell.get("violations").asInt()).isZero();
        for (Path trial : trials()) assertThat(Files.readString(trial.resolve(TrialFiles.EVENTS))).contains("BGREWRITEAOF");
        Cli.assertNothingLeft(Cli.startedSince(before));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bundled", "redis"})
    void aKillDuringBgsaveLosesAtMostWhatFollowedTheLastCompletedSave(String target) throws IOException {
        if (target.equals("redis")) Requirements.requireCommand("redis-server");
        int before = Cli.started();
        // No FLUSHALL: under save points it saves at once and kills a running BGSAVE.
        Cli.Result r = campaign("--target", target, "--faults", "crash-during-bgsave", "--policies", "no", "--trials", "2",
                "--workload", "counter");
        assertThat(r.code()).as("%s", r).isZero();
        for (Path trial : trials()) {
            JsonNode v = verdict(trial);
            assertThat(v.get("verdict").asText()).isIn("OK", "LOSS_WITHIN_POLICY");
            assertThat(Files.readString(trial.resolve(TrialFiles.EVENTS))).contains("RDB-only configuration", "completed (rdb_saves");
            assertThat(Files.readString(trial.resolve(TrialFiles.TARGET_LOG))).doesNotContain("Reading RDB base file on AOF loading");
        }
        Cli.assertNothingLeft(Cli.startedSince(before));
    }

    @Test
    void powerLossOnLossyFsUnderAlwaysLosesNothingAndLeavesNoMount() throws IOException {
        requireFuse();
        int before = Cli.started();
        Cli.Result r = campaign("--faults", "power-loss,torn-write,disk-full,fsync-eio", "--policies", "always");
        assertThat(r.code()).as("%s", r).isZero();
        for (Path trial : trials()) {
            assertThat(Files.readString(trial.resolve(TrialFiles.EVENTS))).contains("lossyfs mounted over");
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(trial.resolve("data").toString());
        }
        assertThat(lossmeter.harness.node.ProcessRegistry.global().pendingCleanups()).noneMatch(c -> c.contains(dir.toString()));
        Cli.assertNothingLeft(Cli.startedSince(before));
    }

    static void requireFuse() {
        Requirements.requireFuse();
    }
}
