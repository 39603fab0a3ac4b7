package lossmeter.faults;

import java.util.List;
import java.util.function.Supplier;

import lossmeter.workloads.check.FaultClass;

/** The built-in faults: one static factory each, and the catalogue by name for the command line. */
public final class Faults {
    /**
     * One line of the catalogue: the name, its class, what it does, what a correct server shows,
     * and whether the fsync policy governs its loss (so a loss-window gate applies); it does not
     * where loss is the expected outcome (damaged media, RDB snapshots).
     */
    public record Entry(String name, FaultClass faultClass, String does, String expected, boolean policyGoverned,
                        Supplier<Fault> factory) {
    }

    private static final List<Entry> CATALOGUE = List.of(
            new Entry("kill", FaultClass.CRASH, "SIGKILL the target's whole process group",
                    "no loss under any policy", true, Faults::kill),
            new Entry("restart", FaultClass.CRASH, "graceful SHUTDOWN, then restart (a control)",
                    "no loss under any policy", true, Faults::restart),
            new Entry("pause", FaultClass.LIVENESS, "SIGSTOP the process group for 1-3x the op timeout, then SIGCONT",
                    "timeouts become info ops; nothing else (no loss, no anomaly)", true, Faults::pause),
            new Entry("truncate", FaultClass.MEDIA, "SIGKILL, then cut a data file (seeded) at a seeded offset",
                    "detected (refuses to start, says why) or explained as lost suffix; never silent", false, Faults::truncate),
            new Entry("corrupt", FaultClass.MEDIA, "SIGKILL, then zero a block or flip a bit in a data file (seeded)",
                    "detected (refuses to start, says why) or explained; never silent", false, Faults::corrupt),
            new Entry("crash-during-rewrite", FaultClass.CRASH, "SIGKILL at a seeded point of a slowed BGREWRITEAOF",
                    "always: no loss; everysec: loss <= W; no: a prefix", true, Faults::crashDuringRewrite),
            new Entry("crash-during-bgsave", FaultClass.CRASH, "RDB-only config; SIGKILL in the middle of a slowed BGSAVE",
                    "loss back to the last completed save, no further", false, Faults::crashDuringBgsave),
            new Entry("power-loss", FaultClass.CRASH, "lossyfs over the data dir; SIGKILL, then drop every unsynced byte",
                    "always: no loss; everysec: loss <= W; no: a prefix, window reported", true, Faults::powerLoss),
            new Entry("torn-write", FaultClass.CRASH, "lossyfs; SIGKILL, then keep a seeded part of the unsynced data (sectors or prefix)",
                    "always: no loss; everysec: loss <= W; no: a prefix", true, Faults::tornWrite),
            new Entry("slow-disk", FaultClass.CRASH, "lossyfs; an fsync (or write) stalled for a seeded 0.5-3s, SIGKILL while it is stalled",
                    "no loss under any policy (a process kill keeps the page cache)", true, Faults::slowDisk),
            new Entry("disk-full", FaultClass.RESOURCE, "lossyfs; ENOSPC for a seeded 0.5-2s, space returns, then a power loss",
                    "errors or exit, no ack for unpersisted data; always: no loss; everysec: loss <= W; no: a prefix", true,
                    Faults::diskFull),
            // Not gated by the window from the crash: the data a failed fsync drops was acknowledged up to W
            // before the failures began, so the checker judges it against that instant (a horizon bound).
            new Entry("fsync-eio", FaultClass.RESOURCE, "lossyfs; fsync fails with EIO for a seeded 0.3-1.5s, then a power loss",
                    "no ack after a failed fsync (exit is fine); always: no loss; everysec: nothing acked more than W "
                            + "before the first failed fsync is lost; no: a prefix", false,
                    Faults::fsyncEio));

    /** Every fault name, in catalogue order. */
    public static final List<String> NAMES = CATALOGUE.stream().map(Entry::name).toList();

    private Faults() {
    }

    public static List<Entry> catalogue() {
        return CATALOGUE;
    }

    /** SIGKILL the target's process group. */
    public static Fault kill() {
        return ProcessFault.kill();
    }

    /** Graceful SHUTDOWN, then restart. */
    public static Fault restart() {
        return ProcessFault.restart();
    }

    /** SIGSTOP/SIGCONT the target's process group for a seeded 1–3× the op timeout. */
    public static Fault pause() {
        return new PauseFault();
    }

    /** Kill, then cut a data file at a seeded offset. */
    public static Fault truncate() {
        return new TruncateFault();
    }

    /** Kill, then zero a block or flip a bit in a data file. */
    public static Fault corrupt() {
        return new CorruptFault();
    }

    /** Kill at a seeded point of a slowed BGREWRITEAOF. */
    public static Fault crashDuringRewrite() {
        return new RewriteCrashFault();
    }

    /** RDB-only: kill in the middle of a slowed BGSAVE, after one that completed. */
    public static Fault crashDuringBgsave() {
        return new BgsaveCrashFault();
    }

    /** lossyfs over the data dir; SIGKILL, then every unsynced byte is dropped. */
    public static Fault powerLoss() {
        return new PowerLossFault();
    }

    /** lossyfs; SIGKILL, then a seeded part of the unsynced data survives (sectors or a prefix). */
    public static Fault tornWrite() {
        return new TornWriteFault();
    }

    /** lossyfs; an fsync (or write) stalled for a seeded 0.5–3 s, and a SIGKILL while it is stalled. */
    public static Fault slowDisk() {
        return new SlowDiskFault();
    }

    /** lossyfs; ENOSPC for a seeded period during the workload, then a power loss. */
    public static Fault diskFull() {
        return new DiskFullFault();
    }

    /** lossyfs; fsync fails with EIO for a seeded period, then a power loss. */
    public static Fault fsyncEio() {
        return new FsyncEioFault();
    }

    /** Whether a loss-window gate judges the named fault (see {@link Entry#policyGoverned()}); unknown names are. */
    public static boolean policyGoverned(String name) {
        return CATALOGUE.stream().filter(e -> e.name().equals(name)).findFirst().map(Entry::policyGoverned).orElse(true);
    }

    /** A new instance of the named fault (faults keep per-trial state, so each trial gets its own). */
    public static Fault byName(String name) {
        for (Entry e : CATALOGUE) {
            if (e.name().equals(name)) return e.factory().get();
        }
        throw new IllegalArgumentException("unknown fault '" + name + "' (one of " + String.join(", ", NAMES) + ")");
    }
}
