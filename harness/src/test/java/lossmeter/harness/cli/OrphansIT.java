package lossmeter.harness.cli;

import static lossmeter.harness.cli.LauncherIT.liveInGroups;
import static lossmeter.harness.cli.LauncherIT.mountedAt;
import static lossmeter.harness.cli.LauncherIT.recordedGroups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.lossyfs.Mounts;

/**
 * A harness killed with SIGKILL in the middle of a power-loss trial (no shutdown hook runs): its
 * watchdog removes the target, lossyfs and the mount on its own; when the watchdog was killed too,
 * the next run sweeps them, names each, and reuses the results dir the killed run left. A second
 * run into a results dir in use is refused, naming the holder.
 */
@Tag("integration")
class OrphansIT {
    @TempDir
    Path dir;

    private Path root;
    private Path ledger;
    private final List<Process> launched = new ArrayList<>();
    private final List<Long> groups = new ArrayList<>();
    private Path mount;

    @BeforeEach
    void findLauncher() {
        root = Path.of(System.getProperty("lossmeter.root", "..")).toAbsolutePath().normalize();
        assertThat(root.resolve("harness/target/harness.jar")).as("built by the package phase").isRegularFile();
        ledger = dir.resolve("ledger");
    }

    /** Whatever a test's harness left when an assertion failed: stopped by the ids it recorded, never by name. */
    @AfterEach
    void stopEverything() throws IOException, InterruptedException {
        for (Process p : launched) p.destroyForcibly();
        if (!liveInGroups(groups).isEmpty()) {
            for (long g : groups) new ProcessBuilder("kill", "-s", "KILL", "--", "-" + g).start().waitFor();
        }
        if (mount != null) Mounts.lazyUnmount(mount);
    }

    private Process launch(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("lossmeter").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LOSSMETER_NO_BUILD", "1");
        pb.environment().put("LOSSMETER_LEDGER", ledger.toString());
        Process p = pb.start();
        launched.add(p);
        return p;
    }

    /** Starts a power-loss trial that waits ten minutes for its fault, and returns once the target runs on lossyfs. */
    private Process powerLossRun(Path log) throws IOException {
        Process p = launch(log, "run", "--faults", "power-loss", "--policies", "everysec", "--trials", "3", "--duration", "10m",
                "--crashes", "1", "--seed", "5", "--out", "results");
        Path trial = dir.resolve("results/trials/everysec-power-loss-1");
        Path events = trial.resolve("events.log");
        await("the target to be ready on lossyfs").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(events) && Files.readString(events).contains("ready:"));
        groups.addAll(recordedGroups(Files.readString(events)));
        mount = trial.resolve("data");
        assertThat(groups).as("lossyfs and the target").hasSizeGreaterThanOrEqualTo(2);
        assertThat(mountedAt(mount)).isTrue();
        return p;
    }

    private static void sigkill(long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-s", "KILL", Long.toString(pid)).start().waitFor();
    }

    private static List<ProcessHandle> watchdogs(Process harness) {
        return harness.descendants().filter(h -> h.info().arguments().map(a -> List.of(a).contains("lossmeter-watchdog")).orElse(false))
                .toList();
    }

    @Test
    void theNextRunSweepsWhatAKilledHarnessLeftNamesItAndReusesItsResultsDir() throws Exception {
        FaultsIT.requireFuse();
        Process first = powerLossRun(dir.resolve("first.log"));
        // The watchdog dies too (kill -9 of everything, the OOM killer): only the ledger is left.
        List<ProcessHandle> dogs = watchdogs(first);
        assertThat(dogs).as("the run's watchdog").hasSize(1);
        sigkill(dogs.get(0).pid());
        sigkill(first.pid());
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(liveInGroups(groups)).as("orphans of the killed harness").isNotEmpty();
        assertThat(mountedAt(mount)).as("its stale mount").isTrue();

        Path log = dir.resolve("second.log");
        Process second = launch(log, "run", "--policies", "no", "--trials", "1", "--duration", "500ms", "--crashes", "0",
                "--seed", "5", "--out", "results");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(second.exitValue()).as(out).isZero();
        for (long g : groups) assertThat(out).contains("lossmeter: clean: killed process group " + g + " (");
        assertThat(out).contains("lossmeter: clean: unmounted " + mount, "harness pid " + first.pid() + " is gone",
                "lossmeter: reusing results: an interrupted run (pid " + first.pid() + ", gone) left trials but no results.json",
                "PASS (seed 5)");
        assertThat(liveInGroups(groups)).isEmpty();
        assertThat(mountedAt(mount)).isFalse();
        assertThat(dir.resolve("results/trials/everysec-power-loss-1")).as("the killed run's trials").doesNotExist();
    }

    @Test
    void theWatchdogRemovesWhatAKilledHarnessLeftWithoutAnotherRun() throws Exception {
        FaultsIT.requireFuse();
        Process first = powerLossRun(dir.resolve("first.log"));
        sigkill(first.pid());
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await("the watchdog to kill every group").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> liveInGroups(groups).isEmpty());
        await("the watchdog to unmount lossyfs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !mountedAt(mount));
        await("the watchdog's report").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(ledger.resolve("sweep.log")) && Files.readString(ledger.resolve("sweep.log")).contains("unmounted"));
        assertThat(Files.readString(ledger.resolve("sweep.log"))).contains("watchdog: killed process group " + groups.get(0),
                "watchdog: unmounted " + mount);
    }

    @Test
    void aSecondRunIntoTheSameResultsDirIsRefusedNamingTheHolder() throws Exception {
        Process first = launch(dir.resolve("first.log"), "run", "--policies", "everysec", "--trials", "1", "--duration", "10m",
                "--crashes", "1", "--seed", "5", "--out", "results");
        Path events = dir.resolve("results/trials/everysec-kill-1/events.log");
        await("the first run's target").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(events) && Files.readString(events).contains("ready:"));
        groups.addAll(recordedGroups(Files.readString(events)));

        int before = Cli.started();
        Cli.Result r = Cli.run("run", "--policies", "no", "--trials", "1", "--out", dir.resolve("results").toString());
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("is in use by another lossmeter run (pid " + first.pid() + ")");
        assertThat(Cli.startedSince(before)).as("nothing started").isEmpty();
        assertThat(first.isAlive()).as("the first run goes on").isTrue();

        new ProcessBuilder("kill", "-INT", Long.toString(first.pid())).start().waitFor();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
}
