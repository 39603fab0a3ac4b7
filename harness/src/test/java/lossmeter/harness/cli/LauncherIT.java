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
        // Its run ledger stays with the tests', not the user's.
        pb.environment().put("LOSSMETER_LEDGER", System.getProperty("lossmeter.ledger", dir.resolve("ledger").toString()));
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

    /**
     * SIGINT in the middle of a power-loss trial: the shutdown hook kills every process group the
     * run started (target and lossyfs, as its events log recorded them) by its id and unmounts
     * lossyfs from the data dir.
     */
    @Test
    void sigintLeavesNoProcessGroupAndNoMount() throws Exception {
        FaultsIT.requireFuse();
        Path log = dir.resolve("launcher.log");
        Process p = launch(log, "run", "--faults", "power-loss", "--policies", "always", "--trials", "1", "--duration", "10m",
                "--crashes", "1", "--seed", "5", "--out", "results");
        Path trial = dir.resolve("results/trials/always-power-loss-1");
        Path events = trial.resolve("events.log");
        try {
            await("the target to be ready on lossyfs").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(events) && Files.readString(events).contains("ready:"));
            List<Long> groups = recordedGroups(Files.readString(events));
            assertThat(groups).as("lossyfs and the target, from %s", events).hasSizeGreaterThanOrEqualTo(2);
            assertThat(mountedAt(trial.resolve("data"))).isTrue();
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            await("the harness to exit").atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive());
            await("every recorded group gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> liveInGroups(groups).isEmpty());
            await("no mount at the data dir").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !mountedAt(trial.resolve("data")));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The process groups an events log names: {@code (group N, …}. */
    static List<Long> recordedGroups(String events) {
        List<Long> groups = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(group (\\d+),").matcher(events);
        while (m.find()) groups.add(Long.parseLong(m.group(1)));
        return groups.stream().distinct().toList();
    }

    /** Live (non-zombie) processes whose process group is one of {@code groups}, from /proc. */
    static List<String> liveInGroups(List<Long> groups) throws IOException {
        List<String> alive = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!f[0].equals("Z") && groups.contains(Long.parseLong(f[2]))) alive.add(stat);
            }
        }
        return alive;
    }

    /** Whether /proc/self/mountinfo lists a mount at exactly this path (mount namespaces are shared with the child). */
    static boolean mountedAt(Path path) throws IOException {
        String wanted = path.toAbsolutePath().normalize().toString().replace(" ", "\\040");
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" "))
                .anyMatch(f -> f.length > 4 && f[4].equals(wanted));
    }
}
