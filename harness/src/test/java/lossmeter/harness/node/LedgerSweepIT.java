package lossmeter.harness.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.lossyfs.Mounts;
import lossmeter.faults.node.NodeProcess;

/**
 * The run ledger on this machine: a node records what it starts before it starts it and forgets
 * it when it is gone; a sweep removes what a dead harness's run left (its groups, proven by start
 * time or by their environment mark, its mount, its temp dir), names each, and never touches a
 * live run.
 */
@Tag("integration")
class LedgerSweepIT {
    @TempDir
    Path dir;

    /** Processes this test started itself (outside any node), killed by pid in {@link #stopStarted}. */
    private final List<Process> started = new ArrayList<>();
    private Path mounted;

    @AfterEach
    void stopStarted() throws IOException {
        for (Process p : started) {
            new ProcessBuilder("kill", "-s", "KILL", "--", "-" + p.pid()).start();
            p.destroyForcibly();
        }
        if (mounted != null) Mounts.lazyUnmount(mounted);
    }

    /** {@code sleep 1000} as the leader of its own group, carrying {@code mark} in its environment. */
    private Process sleeper(String mark) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("setsid", "sleep", "1000").redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(RunLedger.RUN_ENV, mark);
        Process p = pb.start();
        started.add(p);
        await("setsid of " + p.pid()).atMost(Duration.ofSeconds(10))
                .until(() -> ProcStat.of(p.pid()).map(s -> s.pgrp() == p.pid()).orElse(false));
        return p;
    }

    private static void write(Path file, String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        LedgerEntry.write(file, p);
    }

    @Test
    void aSweepRemovesWhatADeadHarnessLeftAndNamesIt() throws Exception {
        Path root = dir.resolve("ledger");
        String deadRun = "20260101-000000-1-dead";
        Path run = Files.createDirectories(root.resolve(deadRun));
        // The harness's pid is alive (it is this JVM) but started at another time: a reused pid, so the run is gone.
        ProcStat self = ProcStat.self();
        write(run.resolve(RunLedger.RUN_FILE), "harness.pid", Long.toString(self.pid()), "harness.start",
                Long.toString(self.startTime() - 1));
        Process recorded = sleeper(deadRun);
        write(run.resolve("group-1"), "command", "sleep 1000", "pgid", Long.toString(recorded.pid()), "start",
                Long.toString(ProcStat.of(recorded.pid()).orElseThrow().startTime()));
        // Killed before the ledger learnt its group id: found by its mark.
        Process pending = sleeper(deadRun);
        write(run.resolve("group-2"), "command", "sleep 1000");
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        boolean canMount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()).start().waitFor() == 0;
        if (canMount) mounted = mnt;
        write(run.resolve("mount-3"), "path", mnt.toString());
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Files.writeString(scratch.resolve("control.sock"), "x");
        write(run.resolve("temp-4"), "path", scratch.toString());

        try (LocalNode live = new LocalNode(root)) {
            NodeProcess mine = live.start(List.of("sleep", "1000"), null, Map.of(), dir.resolve("live.log"));
            assertThat(RunLedger.entries(root.resolve(liveRun(root, deadRun))))
                    .as("recorded with its group id and start time").singleElement()
                    .satisfies(e -> assertThat(e.pgid()).isEqualTo(mine.pgid()));

            List<String> removed = live.sweep();

            assertThat(removed).anySatisfy(l -> assertThat(l).startsWith("killed process group " + recorded.pid() + " (sleep 1000)")
                    .contains("run " + deadRun, "harness pid " + self.pid() + " is gone"));
            assertThat(removed).anySatisfy(l -> assertThat(l).startsWith("killed process group " + pending.pid())
                    .contains("LOSSMETER_RUN=" + deadRun));
            assertThat(removed).anySatisfy(l -> assertThat(l).startsWith("removed temp dir " + scratch));
            if (canMount) assertThat(removed).anySatisfy(l -> assertThat(l).startsWith("unmounted " + mnt));
            assertThat(recorded.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(pending.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(Mounts.at(mnt)).isEmpty();
            assertThat(scratch).doesNotExist();
            assertThat(run).as("the dead run's ledger").doesNotExist();
            assertThat(live.alive(mine)).as("a live run is never touched").isTrue();
            assertThat(live.sweep()).as("a second sweep finds nothing").isEmpty();
        }
        try (var s = Files.list(root)) {
            assertThat(s.filter(Files::isDirectory).toList()).as("a run that ended cleanly leaves no ledger").isEmpty();
        }
    }

    private static String liveRun(Path root, String except) throws IOException {
        try (var s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(except) && !n.startsWith("."))
                    .filter(n -> Files.isDirectory(root.resolve(n))).findFirst().orElseThrow();
        }
    }

    @Test
    void theWatchdogExitsQuietlyWhenTheRunEndsCleanly() throws Exception {
        Path root = dir.resolve("ledger");
        try (LocalNode node = new LocalNode(root)) {
            node.start(List.of("sleep", "1000"), null, Map.of(), dir.resolve("p.log"));
            await("the run's watchdog").atMost(Duration.ofSeconds(10)).until(() -> !watchdogs().isEmpty());
        }
        await("the watchdog to exit").atMost(Duration.ofSeconds(10)).until(() -> watchdogs().isEmpty());
        assertThat(root.resolve(SweepMain.LOG)).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    private static List<ProcessHandle> watchdogs() {
        // From /proc itself: ProcessHandle.Info gives no arguments for a command line as long as the
        // watchdog's (its sweep command carries the whole class path).
        return ProcessHandle.current().children().filter(h -> {
            try {
                return new String(java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                        java.nio.charset.StandardCharsets.UTF_8).contains("\0lossmeter-watchdog\0");
            } catch (java.io.IOException gone) {
                return false;
            }
        }).toList();
    }
}
