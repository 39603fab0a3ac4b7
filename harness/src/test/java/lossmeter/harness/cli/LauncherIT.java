package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./lossmeter} as users run it, in a separate JVM: a short campaign passes,
 * and SIGINT in the middle of a trial leaves no target process behind.
 */
@Tag("integration")
class LauncherIT {
    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void findLauncher() {
        root = Path.of(System.getProperty("lossmeter.root", "..")).toAbsolutePath().normalize();
        assertThat(root.resolve("lossmeter")).as("the launcher").isExecutable();
        assertThat(root.resolve("harness/target/harness.jar")).as("built by the package phase before the integration tests").isRegularFile();
    }

    private Process launch(Path log, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("lossmeter").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // The build that runs this test made the jars; the launcher must not start another one.
        pb.environment().put("LOSSMETER_NO_BUILD", "1");
        return pb.start();
    }

    @Test
    void aShortCampaignPassesEndToEnd() throws Exception {
        Path log = dir.resolve("launcher.log");
        Process p = launch(log, "run", "--policies", "no", "--trials", "1", "--duration", "1s", "--crashes", "1", "--seed", "5",
                "--out", "results");
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("PASS (seed 5)", "[1/1] no-kill-1 OK");
        assertThat(dir.resolve("results/results.json")).isRegularFile();
    }

    @Test
    void sigintKillsTheTargetsProcessGroup() throws Exception {
        Path log = dir.resolve("launcher.log");
        Process p = launch(log, "run", "--policies", "everysec", "--trials", "1", "--duration", "10m", "--crashes", "1",
                "--seed", "5", "--out", "results");
        Path events = dir.resolve("results/trials/everysec-kill-1/events.log");
        try {
            await("the target to be ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(events) && Files.readString(events).contains("ready:"));
            List<ProcessHandle> targets = p.descendants().toList();
            assertThat(targets).as("the target runs as a child of the harness JVM").isNotEmpty();
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            for (ProcessHandle t : targets) {
                await("exit of " + t.pid()).atMost(Duration.ofSeconds(10)).until(() -> !t.isAlive());
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
