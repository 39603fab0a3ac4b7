package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.harness.run.Json;

/**
 * Servers with known durability bugs (the bundled server's unsafe switches) are each caught with
 * the right anomaly kind and exit 1 (a server that claims {@code always} but fsyncs now and then is
 * caught by power loss); the correct server is never flagged across 50 seeded trials.
 */
@Tag("integration")
class BrokenServersIT {
    @TempDir
    Path dir;

    static Stream<Arguments> brokenServers() {
        return Stream.of(
                // Replies leave before the AOF write: a kill loses acknowledged writes.
                Arguments.of("--unsafe-reply-before-aof-write yes", "mixed", "kill", "LOST_ACKED"),
                // Claims appendfsync always but fsyncs one write in 50: a power loss (lossyfs drops
                // what was never fsynced) takes acknowledged writes with it; a kill alone would not.
                Arguments.of("--unsafe-fsync-every 50", "counter", "power-loss", "LOST_ACKED"),
                // Writes left out of the log: a later write survives an earlier lost one.
                Arguments.of("--unsafe-drop-aof-writes 0.05", "list", "kill", "HOLE"),
                // FLUSHALL not logged: data from before it comes back after a restart.
                Arguments.of("--unsafe-forget-flushall yes", "flush", "kill", "RESURRECTED"),
                // Half of each MULTI/EXEC logged: part of a transaction survives.
                Arguments.of("--unsafe-log-half-transaction yes", "txn", "kill", "TORN_TXN"));
    }

    @ParameterizedTest(name = "{0} under {2} → {3}")
    @MethodSource("brokenServers")
    void eachDurabilityBugIsReportedWithItsAnomalyKind(String switches, String workload, String fault, String kind) throws IOException {
        int before = Cli.started();
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("run", "--target", "bundled:--enable-unsafe-durability-switches yes " + switches,
                "--policies", "always", "--faults", fault, "--workload", workload, "--trials", "2", "--duration", "2s",
                "--crashes", "2", "--seed", "11", "--out", out.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        JsonNode results = Json.PRETTY.readTree(out.resolve("results.json").toFile());
        assertThat(results.get("verdict").asText()).isEqualTo("FAIL");
        JsonNode cell = results.get("cells").get(0);
        assertThat(cell.get("violations").asInt()).isPositive();
        assertThat(cell.get("anomalies").get(kind).asInt()).as("%s anomalies in %s", kind, cell).isPositive();
        Cli.assertNothingLeft(Cli.startedSince(before));
    }

    @Test
    void theCorrectServerIsNeverFlaggedAcross50SeededTrials() throws IOException {
        int before = Cli.started();
        Path out = dir.resolve("clean");
        List<String> args = new ArrayList<>(List.of("run", "--target", "bundled", "--policies", "always,everysec,no",
                "--faults", "kill", "--workload", "mixed", "--trials", "17", "--duration", "700ms", "--crashes", "1",
                "--seed", "20261121", "--out", out.toString()));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        JsonNode results = Json.PRETTY.readTree(out.resolve("results.json").toFile());
        int trials = 0;
        for (JsonNode cell : results.get("cells")) {
            trials += cell.get("trials").asInt();
            assertThat(cell.get("violations").asInt()).as("violations in %s", cell).isZero();
            assertThat(cell.get("lostAcked").asLong()).as("a kill loses nothing acknowledged: %s", cell).isZero();
            assertThat(cell.get("ackedWrites").asLong()).isPositive();
        }
        assertThat(trials).isEqualTo(51);
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(results.get("verdict").asText()).isEqualTo("PASS");
        Cli.assertNothingLeft(Cli.startedSince(before));
    }
}
