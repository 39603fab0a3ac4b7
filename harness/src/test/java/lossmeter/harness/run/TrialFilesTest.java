package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.client.JedisKvClient;
import lossmeter.harness.target.Targets;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;
import lossmeter.workloads.generator.Workloads;

class TrialFilesTest {
    @TempDir
    Path dir;

    static TrialSpec spec(Path dir) {
        TrialSettings s = new TrialSettings(Workloads.mixed(8), Duration.ofSeconds(1), 2, 4, Duration.ofSeconds(2),
                JedisKvClient.DEFAULT_OP_TIMEOUT, TrialSettings.DEFAULT_READY_TIMEOUT);
        return new TrialSpec(new TrialId(Policy.EVERYSEC, "kill", 1), 99, Targets.bundled(), Faults.kill().create(), s, dir);
    }

    @Test
    void crashesRoundTripForOfflineChecks() throws IOException {
        List<Crash> crashes = List.of(
                Crash.recovered(1, "kill", 1_500_000_000L, Map.of("c0", 12L, "l1", List.of("p1-1", "p2-2"), "c3", "garbage"),
                        DurabilityBound.NONE),
                Crash.recovered(2, "power-loss", 3_000_000_000L, Map.of(), DurabilityBound.ofMillis(2000)),
                Crash.recovered(3, "power-loss", 4_000_000_000L, Map.of("c1", 1L), DurabilityBound.UNBOUNDED),
                Crash.unavailable(4, "restart", 5_000_000_000L, "exited: Bad file format"),
                Crash.recovered(5, "crash-during-bgsave", 6_000_000_000L, Map.of("c1", 1L), DurabilityBound.ackedBefore(5_500_000_000L)),
                Crash.recovered(6, "truncate", FaultClass.MEDIA, 7_000_000_000L, Map.of(), DurabilityBound.NONE),
                Crash.unavailable(7, "corrupt", FaultClass.MEDIA, 8_000_000_000L, "Bad file format"));
        Path file = dir.resolve(TrialFiles.CRASHES);
        TrialFiles.writeCrashes(file, spec(dir), crashes, List.of(800_000_000L, 900_000_000L, 1L, -1L, 1L, 1L, -1L), List.of());
        assertThat(TrialFiles.readCrashes(file)).isEqualTo(crashes);
    }
}
