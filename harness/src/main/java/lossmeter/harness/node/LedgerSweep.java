package lossmeter.harness.node;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import lossmeter.faults.lossyfs.Mounts;

/**
 * Removes what runs whose harness is gone left on this machine, from their ledgers (see
 * {@link RunLedger}). A run is gone when no process has its harness's pid and start time. Its
 * process groups are killed by id only while the group's leader is still the process recorded
 * (same start time); any other process still carrying the run's {@code LOSSMETER_RUN} mark in its
 * environment (a member of a group whose leader died, a group started in the instant before the
 * ledger learnt its id) is killed with its group too. Then its mounts are detached lazily, its temp
 * dirs deleted, and its ledger dir removed once nothing is left. Sweeps take a lock on the root,
 * so two runs starting at once do not race each other.
 */
final class LedgerSweep {
    private static final Duration DEATH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration YOUNG = Duration.ofMinutes(1);

    private LedgerSweep() {
    }

    /** Synchronized as well as file-locked: a file lock is per process, so two sweeps of one JVM would collide on it. */
    static synchronized List<String> sweep(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        List<String> removed = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(root.resolve(".sweep.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            for (Path run : runs(root)) sweepRun(run, removed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep the ledgers under " + root, e);
        }
        return removed;
    }

    private static List<Path> runs(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static void sweepRun(Path run, List<String> removed) throws IOException {
        Properties p = new Properties();
        Path runFile = run.resolve(RunLedger.RUN_FILE);
        if (!Files.isRegularFile(runFile)) {
            // A dir still being set up (renamed into place with its run file), or debris of one that never was.
            if (Files.getLastModifiedTime(run).toInstant().plus(YOUNG).isBefore(java.time.Instant.now())) deleteTree(run);
            return;
        }
        try (Reader r = Files.newBufferedReader(runFile, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        long pid = Long.parseLong(p.getProperty("harness.pid", "-1"));
        long start = Long.parseLong(p.getProperty("harness.start", "-1"));
        if (ProcStat.same(pid, start)) return; // a live run: never touched
        String id = run.getFileName().toString();
        String of = " (run " + id + ", harness pid " + pid + " is gone)";
        String mark = RunLedger.RUN_ENV + "=" + id;
        List<LedgerEntry> entries = RunLedger.entries(run);
        List<Long> groups = new ArrayList<>();
        for (LedgerEntry e : entries) {
            if (e.kind() == LedgerEntry.Kind.GROUP && e.pgid() > 0 && ProcStat.same(e.pgid(), e.startTime())) {
                kill(e.pgid());
                groups.add(e.pgid());
                removed.add("killed " + e.what() + of);
            }
        }
        ProcStat self = ProcStat.self();
        for (ProcStat s : ProcStat.all()) {
            if (groups.contains(s.pgrp()) || s.pgrp() == self.pgrp() || !s.environHas(mark)) continue;
            // A group is killed whole only when its leader carries the mark too: a process caught before
            // setsid(2) is still in the dead harness's group, which may hold its parent (a test, a shell).
            if (ProcStat.of(s.pgrp()).map(l -> l.live() && l.environHas(mark)).orElse(false)) {
                kill(s.pgrp());
                groups.add(s.pgrp());
                removed.add("killed process group " + s.pgrp() + " (found by its " + mark + " mark)" + of);
            } else {
                kill(-s.pid());
                removed.add("killed pid " + s.pid() + " (found by its " + mark + " mark)" + of);
            }
        }
        awaitDeath(groups, mark, self);
        for (LedgerEntry e : entries) {
            switch (e.kind()) {
                case GROUP -> {
                    if (gone(e, mark)) e.remove();
                }
                case MOUNT -> {
                    if (Mounts.at(e.path()).isPresent()) {
                        if (Mounts.lazyUnmount(e.path())) removed.add("unmounted " + e.path() + of);
                        else removed.add("could not unmount " + e.path() + of);
                    }
                    if (gone(e, mark)) e.remove();
                }
                case TEMP -> {
                    if (Files.exists(e.path())) {
                        deleteTree(e.path());
                        removed.add("removed temp dir " + e.path() + of);
                    }
                    e.remove();
                }
            }
        }
        if (RunLedger.entries(run).isEmpty()) deleteTree(run);
    }

    /** Whether what an entry names is gone: no live leader (by start time) and no live process with the run's mark; no mount; no dir. */
    static boolean gone(LedgerEntry e, String mark) {
        try {
            return switch (e.kind()) {
                case GROUP -> !(e.pgid() > 0 && ProcStat.same(e.pgid(), e.startTime()))
                        && ProcStat.all().stream().noneMatch(s -> (e.pgid() < 0 || s.pgrp() == e.pgid()) && s.environHas(mark));
                case MOUNT -> Mounts.at(e.path()).isEmpty();
                case TEMP -> !Files.exists(e.path());
            };
        } catch (IOException ex) {
            return false;
        }
    }

    private static void awaitDeath(List<Long> groups, String mark, ProcStat self) {
        try {
            await("the swept process groups " + groups + " to die").atMost(DEATH_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> ProcStat.all().stream().noneMatch(s -> s.pid() != self.pid()
                            && (groups.contains(s.pgrp()) || s.environHas(mark))));
        } catch (ConditionTimeoutException e) {
            // Reported by the entries that stay: the next sweep tries again.
        }
    }

    /** SIGKILL to a group ({@code id} > 0) or, negative, to the single process {@code -id}. */
    private static void kill(long id) {
        String target = id > 0 ? "-" + id : Long.toString(-id);
        try {
            Process k = new ProcessBuilder("kill", "-s", "KILL", "--", target).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path path) {
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            if (Files.exists(path)) throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
