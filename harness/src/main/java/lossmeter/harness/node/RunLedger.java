package lossmeter.harness.node;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import lossmeter.faults.node.NodeException;

/**
 * One run's ledger on this machine: {@code <root>/<run id>/} with a {@code run} file (the harness's
 * pid and its start time from /proc) and one entry file per process group, mount and temp dir,
 * each written before the thing exists and removed once it is known to be gone. The dir is made
 * on the first entry (a node that starts nothing leaves nothing), together with the run's
 * {@link Watchdog}. Whatever a killed harness leaves here is removed by {@link LedgerSweep}.
 */
public final class RunLedger {
    /** Every process a run starts carries {@code LOSSMETER_RUN=<run id>}, so a sweep can prove it is the run's (on every node). */
    public static final String RUN_ENV = "LOSSMETER_RUN";
    static final String RUN_FILE = "run";
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

    private final Path root;
    private final String id;
    private final Path dir;
    private final ProcStat harness = ProcStat.self();
    private int next;
    private boolean opened;

    RunLedger(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + harness.pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        this.dir = this.root.resolve(id);
    }

    /**
     * Where the ledgers of this machine live: {@code -Dlossmeter.ledger}, else {@code $LOSSMETER_LEDGER},
     * else {@code ${XDG_STATE_HOME:-~/.local/state}/lossmeter/ledger} (state that must survive the
     * harness, but is not worth keeping, like a pid file).
     */
    static Path defaultRoot() {
        String prop = System.getProperty("lossmeter.ledger");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("LOSSMETER_LEDGER");
        if (env != null && !env.isBlank()) return Path.of(env);
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("lossmeter").resolve("ledger");
    }

    String id() {
        return id;
    }

    Path root() {
        return root;
    }

    /** The environment entry that marks a process as this run's. */
    String envEntry() {
        return RUN_ENV + "=" + id;
    }

    /** A process group about to be started; complete it with {@link #started} once it runs. */
    synchronized LedgerEntry group(List<String> command) {
        Properties p = new Properties();
        p.setProperty("command", String.join(" ", command.subList(0, Math.min(3, command.size()))) + (command.size() > 3 ? " …" : ""));
        return add(LedgerEntry.Kind.GROUP, p);
    }

    synchronized void started(LedgerEntry group, long pgid, long startTime) {
        group.props().setProperty("pgid", Long.toString(pgid));
        group.props().setProperty("start", Long.toString(startTime));
        group.write();
    }

    synchronized LedgerEntry mount(Path mountpoint) {
        Properties p = new Properties();
        p.setProperty("path", mountpoint.toAbsolutePath().normalize().toString());
        return add(LedgerEntry.Kind.MOUNT, p);
    }

    synchronized LedgerEntry tempDir(Path tempDir) {
        Properties p = new Properties();
        p.setProperty("path", tempDir.toAbsolutePath().normalize().toString());
        return add(LedgerEntry.Kind.TEMP, p);
    }

    private LedgerEntry add(LedgerEntry.Kind kind, Properties p) {
        open();
        LedgerEntry e = new LedgerEntry(dir.resolve(kind.prefix() + (++next)), kind, p);
        e.write();
        return e;
    }

    /** Writes the run file into a fresh dir under a temp name, then renames it: a sweep never sees a run without its harness. */
    private void open() {
        if (opened) return;
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, ".new-");
            Properties run = new Properties();
            run.setProperty("harness.pid", Long.toString(harness.pid()));
            run.setProperty("harness.start", Long.toString(harness.startTime()));
            run.setProperty("started", LocalDateTime.now().toString());
            LedgerEntry.write(tmp.resolve(RUN_FILE), run);
            Files.move(tmp, dir);
        } catch (IOException | UncheckedIOException e) {
            throw new NodeException("cannot write the run ledger under " + root + ": " + e.getMessage(), e);
        }
        opened = true;
        Watchdog.start(dir, harness, root);
    }

    /**
     * The run is over: drops the entries whose things are gone and, when none is left, the whole
     * dir (which also tells the watchdog to exit quietly). What is still there stays for a sweep.
     */
    synchronized void close() {
        if (!opened) return;
        // On SIGINT the shutdown hook has only just sent SIGKILL: a moment lets the groups go, so an
        // interrupted run leaves no ledger (and its watchdog no sweep) behind.
        try {
            await("the run's groups to die").atMost(CLOSE_GRACE).pollInterval(Duration.ofMillis(50))
                    .until(() -> entries(dir).stream().allMatch(e -> e.kind() != LedgerEntry.Kind.GROUP || LedgerSweep.gone(e, envEntry())));
        } catch (ConditionTimeoutException e) {
            // What is left stays in the ledger for the watchdog or the next sweep.
        }
        List<LedgerEntry> left = new ArrayList<>();
        for (LedgerEntry e : entries(dir)) {
            if (LedgerSweep.gone(e, envEntry())) e.remove();
            else left.add(e);
        }
        if (left.isEmpty()) LedgerSweep.deleteTree(dir);
        opened = false;
    }

    static List<LedgerEntry> entries(Path runDir) {
        try (Stream<Path> s = Files.list(runDir)) {
            return s.sorted().map(LedgerEntry::read).flatMap(Optional::stream).toList();
        } catch (IOException e) {
            return List.of(); // removed by a sweep meanwhile
        }
    }
}
